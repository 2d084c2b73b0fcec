"""Account pages: organisation, log-in with its optional second step, two-step verification, API tokens."""

from __future__ import annotations

import base64
import math
import time
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from citydiplo.accounts import selectors, services
from citydiplo.accounts.access import can_write_for
from citydiplo.accounts.forms import ApiTokenForm, CodeForm
from citydiplo.accounts.models import ApiToken, User


class TermForm(forms.Form):
    head_name = forms.CharField(label=gettext_lazy("Mayor or head"), max_length=200)
    head_title = forms.CharField(label=gettext_lazy("Title"), max_length=100, required=False)
    start = forms.DateField(label=gettext_lazy("Start"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(
        label=gettext_lazy("End"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


@login_required
def organisation_detail(request: HttpRequest) -> HttpResponse:
    organisation = selectors.organisation_of(user=request.user)
    if organisation is None:
        return render(request, "accounts/no_organisation.html")
    return render(
        request,
        "accounts/organisation_detail.html",
        {
            "organisation": organisation,
            "terms": organisation.terms.all(),
            "seats": organisation.members.select_related("user").order_by("role", "user__username"),
            "can_edit": can_write_for(request.user, organisation.pk),
            "form": TermForm(),
        },
    )


@login_required
def term_create(request: HttpRequest) -> HttpResponse:
    organisation = selectors.organisation_of(user=request.user)
    if organisation is None or request.method != "POST":
        return redirect("accounts:organisation")
    form = TermForm(request.POST)
    if form.is_valid():
        try:
            services.term_create(user=request.user, organisation=organisation, **form.cleaned_data)
        except PermissionDenied:
            raise
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Term of government recorded."))
    else:
        messages.error(request, _("Check the term: %(errors)s") % {"errors": form.errors.as_text()})
    return redirect("accounts:organisation")


# --- Log-in, with a second step for users who turned on two-step verification -------------------------

# The half-done log-in between the password and the code. The user is not signed in until the code is
# right: no session, API call or page treats them as authenticated before that.
PENDING_LOGIN = "citydiplo_pending_login"
PENDING_LOGIN_SECONDS = 300
PENDING_LOGIN_TRIES = 5


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "cooloff_minutes": math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60),
        }

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if not selectors.two_factor_enabled(user=user):
            return super().form_valid(form)
        self.request.session[PENDING_LOGIN] = {
            "user_id": user.pk,
            "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[-1]),
            "next": self.get_success_url(),
            "started": time.time(),
            "tries": 0,
        }
        return redirect("accounts:login-verify")


def login_verify(request: HttpRequest) -> HttpResponse:
    """The second log-in step: the code from the authenticator app of the user whose password was right."""
    pending: dict[str, Any] | None = request.session.get(PENDING_LOGIN)
    user = None
    if pending and time.time() - pending["started"] <= PENDING_LOGIN_SECONDS:
        user = User.objects.filter(pk=pending["user_id"], is_active=True).first()
    if pending is None or user is None:
        request.session.pop(PENDING_LOGIN, None)
        messages.error(request, _("Your log-in took too long or was interrupted. Please log in again."))
        return redirect("accounts:login")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        device = services.totp_verify(user=user, token=form.cleaned_data["token"])
        if device is not None:
            del request.session[PENDING_LOGIN]
            auth_login(request, user, backend=pending["backend"])
            otp_login(request, device)
            next_url = pending["next"]
            if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
                next_url = reverse(settings.LOGIN_REDIRECT_URL)
            return redirect(next_url)
        pending["tries"] += 1
        if pending["tries"] >= PENDING_LOGIN_TRIES:
            del request.session[PENDING_LOGIN]
            messages.error(request, _("Too many wrong codes. Please log in again."))
            return redirect("accounts:login")
        request.session[PENDING_LOGIN] = pending
        form.add_error("token", _("That code is not right. Wait for the next code and try again."))
    return render(request, "accounts/login_verify.html", {"form": form})


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """django-axes' answer once a username has failed too often from one address (AXES_LOCKOUT_CALLABLE)."""
    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    response = render(
        request,
        "accounts/locked_out.html",
        {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )
    response["Retry-After"] = str(minutes * 60)
    return response


def admin_login(request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
    """Replaces the admin's own log-in form (see AccountsConfig.ready): one log-in page for everyone, so
    nobody can skip the second step by signing in through /admin/."""
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"), reverse("accounts:login"))


# --- Security settings: two-step verification ---------------------------------------------------------


@login_required
def security(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/security.html",
        {
            "two_factor": selectors.two_factor_enabled(user=request.user),
            "disable_form": CodeForm(),
            "token_count": selectors.api_token_list(user=request.user).active().count(),
        },
    )


@login_required
@require_POST
def totp_enrol_start(request: HttpRequest) -> HttpResponse:
    try:
        services.totp_enrolment_start(user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("accounts:security")
    return redirect("accounts:totp-enrol")


@login_required
def totp_enrol(request: HttpRequest) -> HttpResponse:
    """Show the new secret (as a QR code, a link and text) and turn verification on once a code matches."""
    device = services.totp_enrolment_pending(user=request.user)
    if device is None:
        return redirect("accounts:security")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            confirmed = services.totp_enrolment_confirm(user=request.user, token=form.cleaned_data["token"])
        except ValidationError as exc:
            form.add_error("token", exc.messages)
        else:
            # This session has just proved the second factor: it counts as verified.
            otp_login(request, confirmed)
            messages.success(
                request, _("Two-step verification is on. Next time you log in, we will ask for a code.")
            )
            return redirect("accounts:security")
    secret = base64.b32encode(device.bin_key).decode()
    response = render(
        request,
        "accounts/totp_enrol.html",
        {
            "form": form,
            "otpauth_uri": device.config_url,
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
            "qr_data_uri": _qr_data_uri(device.config_url),
        },
    )
    add_never_cache_headers(response)  # the page holds a secret
    return response


@login_required
@require_POST
def totp_disable(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Type the current code from your authenticator app to turn verification off.")
        )
        return redirect("accounts:security")
    try:
        services.totp_disable(user=request.user, token=form.cleaned_data["token"])
    except ValidationError:
        messages.error(request, _("That code is not right; two-step verification stays on."))
    else:
        messages.success(request, _("Two-step verification is off. Logging in now needs only your password."))
    return redirect("accounts:security")


def _qr_data_uri(text: str) -> str | None:
    """The text as a QR code, an SVG drawn here in pure Python (no network, no image library), as a data:
    URI the CSP allows for images. None if the optional `qrcode` package is missing: the page then shows
    the link and the secret only."""
    try:
        import qrcode
        from qrcode.image.svg import SvgPathImage
    except ImportError:  # pragma: no cover - depends on the installation
        return None
    svg = qrcode.make(text, image_factory=SvgPathImage, border=2).to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


# --- API tokens -----------------------------------------------------------------------------------------


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    """The user's API tokens; creating one shows it on this page, once."""
    form = ApiTokenForm(request.POST if request.method == "POST" else None)
    new_token = None
    if form.is_valid():
        try:
            _token, new_token = services.api_token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                expires_at=form.expires_at,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            form = ApiTokenForm()
    response = render(
        request,
        "accounts/tokens.html",
        {"form": form, "tokens": selectors.api_token_list(user=request.user), "new_token": new_token},
        status=422 if form.is_bound and form.errors else 200,
    )
    add_never_cache_headers(response)
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        token = selectors.api_token_get(user=request.user, pk=pk)
    except ApiToken.DoesNotExist:
        raise Http404(_("No such token.")) from None
    services.api_token_revoke(user=request.user, token=token)
    messages.success(
        request, _("The token “%(name)s” is revoked: it no longer works.") % {"name": token.name}
    )
    return redirect("accounts:tokens")
