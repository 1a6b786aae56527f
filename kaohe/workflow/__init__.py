"""Workflows as data: states, transitions, the role allowed, named conditions, N-of-M approval."""
