import pytest

from kaohe.actions.printing import do_install_shipped_formats


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Rendered documents and batch files go to a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def shipped_formats(request):
    """The shipped formats, as the migration installs them (a transactional test elsewhere empties every
    table when it ends, the migration's rows included)."""
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("db")
    do_install_shipped_formats()
