import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    """These tests read the importers' messages word for word: in English, whatever the default language."""
    with translation.override("en"):
        yield
