"""Problem reports ("Meld een probleem", R14)."""
