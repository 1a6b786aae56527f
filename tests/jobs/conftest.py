import pytest


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded files go to a directory of the test's own; jobs run inline unless a test gives Redis."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REDIS_URL = ""
    return settings.MEDIA_ROOT
