"""Producers' published language in Python: typed payloads that several consumers take as commands.

Only what more than one service consumes lives here, field for field the producer's JSON schemas in
``shared/contracts/events`` (``shared/tests/unit/test_published.py`` checks each against them). A
consumer's own view of an event stays in its own ``domain/`` (services never share more than this).
"""
