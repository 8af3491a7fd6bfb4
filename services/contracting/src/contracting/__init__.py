"""Contracting service."""

SERVICE = "contracting"
