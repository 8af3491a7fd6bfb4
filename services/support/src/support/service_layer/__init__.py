"""Handlers: one function per command, ``(cmd, uow) -> result``."""
