"""Test support: real PostgreSQL and RabbitMQ for integration tests, and bounded waiting."""

from servicekit.testing.servers import BrokerNamespace, TestServers, wait_for

__all__ = ["BrokerNamespace", "TestServers", "wait_for"]
