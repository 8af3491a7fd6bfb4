"""Catalogue service."""

SERVICE = "catalogue"
