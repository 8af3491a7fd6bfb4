"""Command handlers: one function per command, ``(cmd, uow) -> result``."""
