"""The REST API (``/api/v1/``): one more interface on ``kaohe.actions`` and the reads, like the Desk and the CLI.

Views parse input, ask ``kaohe.permissions`` and call one action or one read; refusals come back in the
one error shape of ``errors.py``.
"""
