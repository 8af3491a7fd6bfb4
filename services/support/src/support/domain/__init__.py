"""The support service's rules: problem reports (R14) and data change requests (R15). Pure Python."""
