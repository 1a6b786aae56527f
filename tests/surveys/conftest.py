from tests.printing.conftest import shipped_formats  # noqa: F401  (invitations print with the shipped format)

from .fixtures import *  # noqa: F403  (shared with the Chromium test in tests/e2e)
