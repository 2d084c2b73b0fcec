"""Account pages: the organisation and its people, invitations, log-in with its optional second step,
two-step verification, API tokens."""

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
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from citydiplo.accounts import selectors, services
from citydiplo.accounts.access import access_owner, can_write_for, is_owner, role_in
from citydiplo.accounts.forms import (
    ApiTokenForm,
    CodeForm,
    InvitationForm,
    InvitationSignupForm,
    RoleForm,
    TransferForm,
)
from citydiplo.accounts.models import ApiToken, Invitation, Organisation, OrganisationMember, User


class TermForm(forms.Form):
    head_name = forms.CharField(label=gettext_lazy("Mayor or head"), max_length=200)
    head_title = forms.CharField(label=gettext_lazy("Title"), max_length=100, required=False)
    start = forms.DateField(label=gettext_lazy("Start"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(
        label=gettext_lazy("End"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


@login_required
def organisation_detail(request: HttpRequest) -> HttpResponse:
    organisation = selectors.organisation_of(user=request.user, session=request.session)
    if organisation is None:
        return render(request, "accounts/no_organisation.html")
    return _organisation_page(request, organisation)


def _organisation_page(
    request: HttpRequest,
    organisation: Organisation,
    *,
    invite_form: InvitationForm | None = None,
    new_invitation: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The organisation page; after an invitation is created, it also shows the link, this once."""
    owner = is_owner(request.user, organisation.pk)
    seats = selectors.seats_of(user=request.user)
    children = selectors.shared_by_children(user=request.user, organisation=organisation)
    response = render(
        request,
        "accounts/organisation_detail.html",
        {
            "organisation": organisation,
            "terms": organisation.terms.all(),
            "seats": selectors.member_list(organisation=organisation),
            "my_role": role_in(request.user, organisation.pk),
            "can_edit": can_write_for(request.user, organisation.pk),
            "is_owner": owner,
            "form": TermForm(),
            "invite_form": invite_form or InvitationForm(),
            "transfer_form": TransferForm(organisation=organisation, user=request.user) if owner else None,
            "role_choices": OrganisationMember.Role.choices,
            "invitations": selectors.invitation_list_pending(user=request.user, organisation=organisation),
            "new_invitation": new_invitation,
            "my_seats": seats if len(seats) > 1 else [],
            "children": children,
            "is_parent_body": bool(children) or organisation.kind == Organisation.Kind.METROPOLITAN_BODY,
        },
        status=status,
    )
    if new_invitation:
        add_never_cache_headers(response)  # the page holds a working link
    return response


def _posted_organisation(request: HttpRequest) -> Organisation:
    """The organisation a form names (a hidden field, so a page left open after switching organisation
    in another tab still acts on the organisation it shows). Only one of the user's own."""
    try:
        return selectors.organisation_for(user=request.user, pk=request.POST.get("organisation"))
    except (Organisation.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such organisation.")) from None


def _report(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
@require_POST
def organisation_switch(request: HttpRequest) -> HttpResponse:
    """Work for another of the user's organisations, for the rest of this session."""
    organisation = _posted_organisation(request)
    request.session[selectors.CHOSEN_ORGANISATION] = organisation.pk
    messages.success(request, _("You are now working for %(name)s.") % {"name": organisation.name})
    return redirect("accounts:organisation")


@login_required
def organisation_shared(request: HttpRequest) -> HttpResponse:
    """What the member organisations of this body share with it or made public, record by record."""
    organisation = selectors.organisation_of(user=request.user, session=request.session)
    if organisation is None:
        return render(request, "accounts/no_organisation.html")
    children = selectors.shared_by_children(user=request.user, organisation=organisation, with_records=True)
    return render(
        request, "accounts/organisation_shared.html", {"organisation": organisation, "children": children}
    )


@login_required
@require_POST
def invitation_create(request: HttpRequest) -> HttpResponse:
    organisation = _posted_organisation(request)
    access_owner(request.user, organisation.pk)  # a non-owner learns nothing from the form's errors
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation, token = services.invitation_create(
                user=request.user,
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            link = request.build_absolute_uri(reverse("accounts:invitation", args=[token]))
            emailed = services.invitation_send(invitation=invitation, link=link)
            return _organisation_page(
                request,
                organisation,
                new_invitation={"invitation": invitation, "link": link, "emailed": emailed},
            )
    return _organisation_page(request, organisation, invite_form=form, status=422)


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        invitation = selectors.invitation_get(user=request.user, pk=pk)
    except Invitation.DoesNotExist:
        raise Http404(_("No such invitation.")) from None
    try:
        services.invitation_revoke(user=request.user, invitation=invitation)
    except ValidationError as exc:
        _report(request, exc)
    else:
        messages.success(
            request, _("The invitation for %(email)s is withdrawn.") % {"email": invitation.email}
        )
    return redirect("accounts:organisation")


def _member(request: HttpRequest, pk: int) -> OrganisationMember:
    try:
        return selectors.member_get(user=request.user, pk=pk)
    except OrganisationMember.DoesNotExist:
        raise Http404(_("No such member.")) from None


@login_required
@require_POST
def member_role_change(request: HttpRequest, pk: int) -> HttpResponse:
    seat = _member(request, pk)
    access_owner(request.user, seat.organisation_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose owner, editor or viewer."))
        return redirect("accounts:organisation")
    try:
        seat = services.member_role_change(user=request.user, seat=seat, role=form.cleaned_data["role"])
    except ValidationError as exc:
        _report(request, exc)
    else:
        messages.success(
            request,
            _("%(user)s is now %(role)s.")
            % {"user": seat.user.get_username(), "role": seat.get_role_display()},
        )
    return redirect("accounts:organisation")


@login_required
@require_POST
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    seat = _member(request, pk)
    try:
        services.member_remove(user=request.user, seat=seat)
    except ValidationError as exc:
        _report(request, exc)
    else:
        messages.success(
            request,
            _("%(user)s is no longer a member of %(organisation)s.")
            % {"user": seat.user.get_username(), "organisation": seat.organisation.name},
        )
    return redirect("accounts:organisation")


@login_required
@require_POST
def organisation_leave(request: HttpRequest) -> HttpResponse:
    organisation = _posted_organisation(request)
    try:
        services.member_leave(user=request.user, organisation=organisation)
    except ValidationError as exc:
        _report(request, exc)
    else:
        if request.session.get(selectors.CHOSEN_ORGANISATION) == organisation.pk:
            del request.session[selectors.CHOSEN_ORGANISATION]
        messages.success(request, _("You left %(organisation)s.") % {"organisation": organisation.name})
    return redirect("accounts:organisation")


@login_required
@require_POST
def ownership_transfer(request: HttpRequest) -> HttpResponse:
    organisation = _posted_organisation(request)
    access_owner(request.user, organisation.pk)
    form = TransferForm(request.POST, organisation=organisation, user=request.user)
    if not form.is_valid():
        messages.error(request, _("Choose the member who becomes owner."))
        return redirect("accounts:organisation")
    try:
        seat = services.ownership_transfer(
            user=request.user, organisation=organisation, to=form.cleaned_data["member"]
        )
    except ValidationError as exc:
        _report(request, exc)
    else:
        messages.success(
            request,
            _("%(user)s is now owner of %(organisation)s; you are editor.")
            % {"user": seat.user.get_username(), "organisation": organisation.name},
        )
    return redirect("accounts:organisation")


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The page an invitation link opens: accept with the signed-in account, or create one."""
    invitation = selectors.invitation_by_token(token=token)
    refusal = services.invitation_refusal(invitation)
    if refusal is not None or invitation is None:
        return _private(
            render(
                request,
                "accounts/invitation.html",
                {"refusal": refusal, "invitation": invitation},
                status=404 if invitation is None else 410,
            )
        )
    user = request.user
    signup = None
    if user.is_authenticated and request.method == "POST":
        try:
            outcome = services.invitation_accept(user=user, token=token)
        except ValidationError as exc:  # used or withdrawn since the page was shown
            _report(request, exc)
            return redirect("accounts:invitation", token=token)
        return _welcome(request, outcome)
    if not user.is_authenticated:
        signup = InvitationSignupForm(
            request.POST if request.method == "POST" else None, initial={"email": invitation.email}
        )
        if signup.is_valid():
            try:
                outcome = services.invitation_accept_with_new_account(
                    token=token,
                    username=signup.cleaned_data["username"],
                    email=signup.cleaned_data["email"],
                    password=signup.cleaned_data["password1"],
                )
            except ValidationError as exc:
                signup.add_error(None, exc.messages)
            else:
                auth_login(request, outcome.seat.user, backend="django.contrib.auth.backends.ModelBackend")
                return _welcome(request, outcome)
    return _private(
        render(
            request,
            "accounts/invitation.html",
            {
                "invitation": invitation,
                "signup": signup,
                "current_role": role_in(user, invitation.organisation_id),
                "login_url": f"{reverse('accounts:login')}?{urlencode({'next': request.path})}",
            },
            status=422 if signup is not None and signup.errors else 200,
        )
    )


def _welcome(request: HttpRequest, outcome: services.Acceptance) -> HttpResponse:
    # The organisation just joined is the one the person wants to see now.
    request.session[selectors.CHOSEN_ORGANISATION] = outcome.seat.organisation_id
    messages.success(request, outcome.message)
    return redirect("accounts:organisation")


def _private(response: HttpResponse) -> HttpResponse:
    """The page's address holds a working token: not cached, not sent on as a referrer."""
    add_never_cache_headers(response)
    response["Referrer-Policy"] = "no-referrer"
    return response


@login_required
def term_create(request: HttpRequest) -> HttpResponse:
    organisation = selectors.organisation_of(user=request.user, session=request.session)
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
