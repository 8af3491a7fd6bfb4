"""Specialisms (afdelingen) with their Vektis codes."""
