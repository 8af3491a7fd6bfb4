"""Pure domain rules of contracting: statuses, levels, cascades (no I/O)."""
