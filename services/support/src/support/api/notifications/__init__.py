"""The caller's notifications: every status change and answer of its reports and requests."""
