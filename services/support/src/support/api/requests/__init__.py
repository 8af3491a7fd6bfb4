"""Data change requests ("Data wijzigingsverzoek", R15)."""
