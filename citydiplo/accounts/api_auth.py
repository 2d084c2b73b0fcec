"""Who is calling the REST API, and how often they may: the authentication lists and rate limits that
every router shares (re-exported by citydiplo/api.py).

Authentication is tried in list order; the first method that recognises the caller wins:

- `TokenAuth`: an `Authorization: Bearer cdp_...` header with one of the user's API tokens. It comes
  first because a script sends no cookies: SessionAuth would otherwise refuse its POST for a missing
  CSRF token before the token is even looked at. A token that is wrong, revoked or expired is refused
  with 401 rather than falling through to anonymous reading, so a script never silently sees less.
- `SessionAuth(csrf=True)`: the browser's signed-in session, with Django's CSRF check on unsafe methods.
  Bearer tokens need no CSRF protection: a browser never attaches them to a cross-site request.
- `anonymous_reader` (reads only): anyone else reads as an anonymous user.

This module lives in accounts, not in citydiplo/api.py, because citydiplo/api.py imports every router
and the routers import these lists: keeping them apart avoids an import cycle.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, AuthorizationError
from ninja.security import HttpBearer, SessionAuth
from ninja.throttling import AnonRateThrottle, AuthRateThrottle, BaseThrottle

from citydiplo.accounts import services
from citydiplo.accounts.models import ApiToken, User


def client_ip(request: HttpRequest) -> str:
    """The caller's address, for login lockouts (django-axes) and anonymous API rate limits.

    Behind CITYDIPLO_PROXY_COUNT reverse proxies, each appends the address it saw to X-Forwarded-For, so
    the client is that many entries from the right; anything further left was written by the client and
    proves nothing. Without proxies the header is ignored altogether.
    """
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = settings.CITYDIPLO_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    return hops[-min(proxies, len(hops))] if hops else remote


class TokenAuth(HttpBearer):
    """An API token, as `Authorization: Bearer cdp_...`. Returns the token's user (request.auth) and
    leaves the token on the request (`request.api_token`, `request.auth_scope`).

    `scope="write"` guards the writing endpoints: a read-only token gets 403 there, so a script learns it
    holds the wrong kind of token rather than that it is not signed in.
    """

    def __init__(self, scope: str = ApiToken.Scope.READ) -> None:
        super().__init__()
        self.scope = scope

    def authenticate(self, request: HttpRequest, token: str) -> User:
        api_token = services.api_token_authenticate(raw=token.strip())
        if api_token is None:
            raise AuthenticationError(
                message=_("This API token is not valid: it is wrong, revoked or expired.")
            )
        if self.scope == ApiToken.Scope.WRITE and not api_token.can_write:
            raise AuthorizationError(
                message=_(
                    "This API token may only read. Create a token with the write scope to change records."
                )
            )
        request.api_token = api_token  # type: ignore[attr-defined]
        request.auth_scope = api_token.scope  # type: ignore[attr-defined]
        return api_token.user


def anonymous_reader(request: HttpRequest) -> AnonymousUser:
    """Last resort of the read endpoints: a caller without credentials reads as an anonymous user, whom
    the selectors show reference facts and public records only."""
    return AnonymousUser()


# Read endpoints: a token of either scope, a session, or nobody. Write endpoints (and the API-wide
# default, so an endpoint that forgets to choose is closed): a write token or a session.
READ_AUTH = (TokenAuth(ApiToken.Scope.READ), SessionAuth(csrf=True), anonymous_reader)
WRITE_AUTH = (TokenAuth(ApiToken.Scope.WRITE), SessionAuth(csrf=True))


# --- Rate limits --------------------------------------------------------------------------------------


def _signed_in(request: HttpRequest) -> bool:
    # request.auth is the authenticated user; on public reads it is an AnonymousUser, never None, which is
    # why ninja's own throttles (keyed on "request.auth is None") cannot be used as they are.
    return bool(getattr(getattr(request, "auth", None), "is_authenticated", False))


class _SettingsRate:
    """Reads its rate from settings on every request (not once at start-up), so a deployment's env and
    a test's settings override both apply. An empty rate switches the limit off."""

    setting: str

    def allow_request(self, request: HttpRequest) -> bool:
        rate = getattr(settings, self.setting, "") or None
        if rate is None:
            return True
        self.rate = rate
        self.num_requests, self.duration = self.parse_rate(rate)  # type: ignore[attr-defined]
        return super().allow_request(request)  # type: ignore[misc]

    def get_ident(self, request: HttpRequest) -> str:
        return client_ip(request)


class AnonymousThrottle(_SettingsRate, AnonRateThrottle):
    """CITYDIPLO_API_RATE_ANON requests per window from one address, for callers not signed in."""

    setting = "CITYDIPLO_API_RATE_ANON"

    def __init__(self) -> None:
        super().__init__(rate="1/min")  # replaced from settings on each request

    def get_cache_key(self, request: HttpRequest) -> str | None:
        if _signed_in(request):
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class UserThrottle(_SettingsRate, AuthRateThrottle):
    """CITYDIPLO_API_RATE_USER requests per window for one user, across sessions and tokens."""

    setting = "CITYDIPLO_API_RATE_USER"

    def __init__(self) -> None:
        super().__init__(rate="1/min")

    def get_cache_key(self, request: HttpRequest) -> str | None:  # type: ignore[override]
        if not _signed_in(request):
            return None
        user: Any = request.auth  # type: ignore[attr-defined]
        return self.cache_format % {"scope": self.scope, "ident": f"user-{user.pk}"}


API_THROTTLES: list[BaseThrottle] = [AnonymousThrottle(), UserThrottle()]
