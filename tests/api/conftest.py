import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


@pytest.fixture
def api():
    """A client that calls the API with the user's token, in English unless told otherwise."""

    def client(user, language: str = "en") -> APIClient:
        made = APIClient(HTTP_ACCEPT_LANGUAGE=language)
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            made.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return made

    return client
