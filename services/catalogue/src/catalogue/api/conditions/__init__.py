"""Conditions (aandoeningen / behandelingen), each under one specialism."""
