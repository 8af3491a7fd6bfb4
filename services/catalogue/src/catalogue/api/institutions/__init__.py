"""Institutions (instellingen): search, register, change, close, merge, offering, CSV import/export."""
