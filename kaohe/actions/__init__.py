"""State-changing functions, one module per concept: ``do_<verb>_<noun>(…, *, acting_user)``.

Each checks permission, then state, then validates, writes, audits, and notifies on commit.
Views, commands and the API parse input and call these; they never save domain models themselves.
"""
