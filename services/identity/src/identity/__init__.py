"""Identity service."""

SERVICE = "identity"
