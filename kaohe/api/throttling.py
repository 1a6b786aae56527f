"""Rate limits for requests made with a token: a script that loops is slowed down, a person's browser
session is not. The rate is ``KAOHE_API_TOKEN_RATE`` (default 600 a minute per user), counted in the cache."""

from rest_framework.authtoken.models import Token
from rest_framework.settings import api_settings
from rest_framework.throttling import UserRateThrottle


class TokenRateThrottle(UserRateThrottle):
    scope = "token"

    def get_rate(self) -> str | None:
        # read at each request (DRF reads it once, at import), so the setting can change without a restart
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        if not isinstance(request.auth, Token):
            return True
        return super().allow_request(request, view)
