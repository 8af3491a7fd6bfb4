"""Products service."""

SERVICE = "products"
