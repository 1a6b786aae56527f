from .fixtures import *  # noqa: F403  (shared with the Chromium test in tests/e2e)
