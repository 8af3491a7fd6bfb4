"""Messaging: one envelope, JSON only, a transactional outbox, an idempotent inbox, topology, dead letters."""
