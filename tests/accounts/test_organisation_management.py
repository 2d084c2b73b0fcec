"""Organisation management by its owners: invitations (link shown once, stored hashed, accepted by an
existing or a new account), role changes, removal, leaving, transfer of ownership, the rule that an
organisation always keeps an owner, and a metropolitan body reading what its municipalities share with it.

In the `cast`, office A (Montevideo) has ana (owner), eduardo (editor) and valeria (viewer); office B
(Rosario) has bruno (owner); olga belongs nowhere."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from citydiplo.accounts import selectors, services
from citydiplo.accounts.models import Invitation, Organisation, OrganisationMember, User
from citydiplo.accounts.records import Visibility
from citydiplo.registry import services as registry
from citydiplo.registry.models import Contact, Project
from tests.accounts.conftest import PASSWORD, as_user
from tests.factories import CityFactory, NetworkFactory, OrganisationFactory, SeatFactory, UserFactory

Role = OrganisationMember.Role
ORGANISATION = "/accounts/organisation/"


def _invite(cast, email: str = "new.person@example.org", role: str = Role.EDITOR) -> str:
    """Office A's owner invites someone; returns the token of the link."""
    return services.invitation_create(user=cast.owner, organisation=cast.office_a, email=email, role=role)[1]


def _link(token: str) -> str:
    return f"/accounts/invitations/{token}/"


def _role(user: User, organisation: Organisation) -> str | None:
    return (
        OrganisationMember.objects.filter(user=user, organisation=organisation)
        .values_list("role", flat=True)
        .first()
    )


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- Invitations --------------------------------------------------------------------------------------


def test_owner_sees_the_invitation_link_once_and_only_its_hash_is_stored(cast):
    client = as_user(cast.owner)
    response = client.post(
        f"{ORGANISATION}invitations/new/",
        {"organisation": cast.office_a.pk, "email": "Marta@Example.ORG", "role": "editor"},
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    link = html.split('<code class="secret" id="invitation-link">')[1].split("</code>")[0]
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert link.startswith("http://testserver/accounts/invitations/")

    invitation = Invitation.objects.get()
    assert invitation.email == "Marta@example.org"  # the domain is case-insensitive, the mailbox may not be
    assert invitation.role == Role.EDITOR
    assert invitation.invited_by == cast.owner
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {invitation.token_hash, invitation.email}
    assert invitation.expires_at - timezone.now() > dt.timedelta(days=13, hours=23)
    assert mail.outbox == []  # no mail server configured: the owner sends the link

    # Listed as pending afterwards, without the link.
    page = client.get(ORGANISATION).content.decode()
    assert "Marta@example.org" in page
    assert token not in page


def test_invitation_is_emailed_when_the_installation_sends_mail(cast, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = as_user(cast.owner).post(
        f"{ORGANISATION}invitations/new/",
        {"organisation": cast.office_a.pk, "email": "marta@example.org", "role": "viewer"},
    )
    assert "It was also sent by e-mail." in _text(response)
    [message] = mail.outbox
    assert message.to == ["marta@example.org"]
    assert "Montevideo international office" in message.subject
    link = response.content.decode().split('id="invitation-link">')[1].split("</code>")[0]
    assert link in message.body


def test_existing_user_accepts_an_invitation_and_gets_the_seat(cast):
    token = _invite(cast, email="olga@example.org", role=Role.EDITOR)
    client = as_user(cast.outsider)
    page = client.get(_link(token))
    assert page.status_code == 200
    assert "Join Montevideo international office" in _text(page)
    assert page["Referrer-Policy"] == "no-referrer"

    response = client.post(_link(token), follow=True)
    assert response.redirect_chain[-1][0] == ORGANISATION
    assert "Welcome to Montevideo international office: you are Editor." in _text(response)
    assert _role(cast.outsider, cast.office_a) == Role.EDITOR
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == cast.outsider
    assert invitation.accepted_at is not None
    # The newcomer now reads the office's private records.
    registry.contact_create(user=cast.editor, owner=cast.office_a, full_name="Lucía Pereira")
    assert Contact.objects.visible_to(User.objects.get(pk=cast.outsider.pk)).count() == 1


def test_member_accepting_an_invitation_gets_its_role_and_is_told(cast):
    token = _invite(cast, email="valeria@example.org", role=Role.EDITOR)
    response = as_user(cast.viewer).post(_link(token), follow=True)
    assert "your role is now Editor (was Viewer)" in _text(response)
    assert _role(cast.viewer, cast.office_a) == Role.EDITOR


def test_invitation_with_the_role_a_member_already_has_changes_nothing(cast):
    # Invited under another address, so the owner could not tell it was the same person.
    token = _invite(cast, email="valeria.private@example.org", role=Role.VIEWER)
    response = as_user(cast.viewer).post(_link(token), follow=True)
    assert "You already are Viewer in Montevideo international office: nothing changed." in _text(response)
    assert _role(cast.viewer, cast.office_a) == Role.VIEWER


def test_invitation_never_demotes_the_last_owner(cast):
    other = OrganisationFactory(slug="salto-office")
    SeatFactory(organisation=other, user=cast.other_owner, role=Role.OWNER)
    token = services.invitation_create(
        user=cast.other_owner, organisation=other, email="x@example.org", role=Role.VIEWER
    )[1]
    outcome = services.invitation_accept(user=cast.other_owner, token=token)
    assert outcome.kept_last_owner
    assert "you stay owner" in outcome.message
    assert _role(cast.other_owner, other) == Role.OWNER


def test_visitor_creates_an_account_from_the_invitation_and_is_seated(cast):
    token = _invite(cast, email="marta@example.org", role=Role.VIEWER)
    client = Client()
    page = client.get(_link(token))
    assert page.status_code == 200
    assert "Create your account" in _text(page)
    assert 'value="marta@example.org"' in page.content.decode()

    weak = client.post(
        _link(token),
        {"username": "marta", "email": "marta@example.org", "password1": "123", "password2": "123"},
    )
    assert weak.status_code == 422
    assert "This password is too short" in _text(weak)
    assert not User.objects.filter(username="marta").exists()

    response = client.post(
        _link(token),
        {"username": "marta", "email": "marta@example.org", "password1": PASSWORD, "password2": PASSWORD},
        follow=True,
    )
    assert "Welcome to Montevideo international office: you are Viewer." in _text(response)
    marta = User.objects.get(username="marta")
    assert marta.check_password(PASSWORD)
    assert _role(marta, cast.office_a) == Role.VIEWER
    assert response.context["user"] == marta  # signed in at once
    assert Invitation.objects.get().accepted_by == marta


def test_account_creation_is_refused_with_a_used_invitation_and_no_account_is_left(cast):
    token = _invite(cast)
    services.invitation_accept(user=cast.outsider, token=token)
    with pytest.raises(ValidationError, match="already been used"):
        services.invitation_accept_with_new_account(
            token=token, username="marta", email="marta@example.org", password=PASSWORD
        )
    assert not User.objects.filter(username="marta").exists()


def test_expired_invitation_is_refused(cast):
    token = _invite(cast)
    Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    client = as_user(cast.outsider)
    for response in (client.get(_link(token)), client.post(_link(token))):
        assert response.status_code == 410
        assert "This invitation to Montevideo international office has expired" in _text(response)
    assert _role(cast.outsider, cast.office_a) is None
    anonymous = Client().post(
        _link(token),
        {"username": "marta", "email": "m@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert anonymous.status_code == 410
    assert not User.objects.filter(username="marta").exists()


def test_withdrawn_invitation_is_refused(cast):
    token = _invite(cast)
    invitation = Invitation.objects.get()
    response = as_user(cast.owner).post(f"{ORGANISATION}invitations/{invitation.pk}/revoke/", follow=True)
    assert "The invitation for new.person@example.org is withdrawn." in _text(response)
    refused = as_user(cast.outsider).post(_link(token))
    assert refused.status_code == 410
    assert "was withdrawn" in _text(refused)
    assert _role(cast.outsider, cast.office_a) is None


def test_used_invitation_is_refused_the_second_time(cast):
    token = _invite(cast)
    as_user(cast.outsider).post(_link(token))
    second = as_user(cast.other_owner).post(_link(token))
    assert second.status_code == 410
    assert "has already been used" in _text(second)
    assert _role(cast.other_owner, cast.office_a) is None


def test_unknown_invitation_link_is_refused(cast):
    response = as_user(cast.outsider).get(_link("not-a-real-token"))
    assert response.status_code == 404
    assert "This invitation link is not valid" in _text(response)


def test_a_new_invitation_replaces_the_pending_one_for_the_same_address(cast):
    first = _invite(cast, email="marta@example.org")
    second = _invite(cast, email="MARTA@example.org", role=Role.VIEWER)
    assert Invitation.objects.pending().count() == 1
    assert as_user(cast.outsider).get(_link(first)).status_code == 410
    assert as_user(cast.outsider).get(_link(second)).status_code == 200


def test_inviting_a_member_into_the_role_they_have_is_refused(cast):
    with pytest.raises(ValidationError, match="already is Editor here"):
        _invite(cast, email="eduardo@example.org", role=Role.EDITOR)


# --- Roles, removal, leaving, transfer ----------------------------------------------------------------


def test_owner_changes_a_members_role(cast):
    seat = OrganisationMember.objects.get(user=cast.viewer)
    response = as_user(cast.owner).post(
        f"{ORGANISATION}members/{seat.pk}/role/", {"role": "editor"}, follow=True
    )
    assert "valeria is now Editor." in _text(response)
    assert _role(cast.viewer, cast.office_a) == Role.EDITOR


def test_last_owner_can_be_neither_demoted_nor_removed_nor_leave(cast):
    seat = OrganisationMember.objects.get(user=cast.owner)
    client = as_user(cast.owner)
    demoted = client.post(f"{ORGANISATION}members/{seat.pk}/role/", {"role": "editor"}, follow=True)
    assert (
        "ana is the last owner of Montevideo international office: make another member owner first."
        in _text(demoted)
    )
    removed = client.post(f"{ORGANISATION}members/{seat.pk}/remove/", follow=True)
    assert "cannot be removed" in _text(removed)
    left = client.post(f"{ORGANISATION}leave/", {"organisation": cast.office_a.pk}, follow=True)
    assert "You are the last owner of Montevideo international office: transfer ownership" in _text(left)
    assert _role(cast.owner, cast.office_a) == Role.OWNER


def test_an_owner_may_step_down_once_another_owner_exists(cast):
    services.member_role_change(
        user=cast.owner, seat=OrganisationMember.objects.get(user=cast.editor), role=Role.OWNER
    )
    services.member_role_change(
        user=cast.owner, seat=OrganisationMember.objects.get(user=cast.owner), role=Role.VIEWER
    )
    assert _role(cast.owner, cast.office_a) == Role.VIEWER
    # Now the former editor is the last owner, and the former owner may no longer manage anyone.
    with pytest.raises(PermissionDenied):
        services.member_role_change(
            user=cast.owner, seat=OrganisationMember.objects.get(user=cast.editor), role=Role.VIEWER
        )


def test_transfer_of_ownership_swaps_owner_and_editor(cast):
    seat = OrganisationMember.objects.get(user=cast.viewer)
    response = as_user(cast.owner).post(
        f"{ORGANISATION}transfer/", {"organisation": cast.office_a.pk, "member": seat.pk}, follow=True
    )
    assert "valeria is now owner of Montevideo international office; you are editor." in _text(response)
    assert _role(cast.viewer, cast.office_a) == Role.OWNER
    assert _role(cast.owner, cast.office_a) == Role.EDITOR
    assert OrganisationMember.objects.filter(organisation=cast.office_a, role=Role.OWNER).count() == 1


def test_ownership_cannot_be_transferred_outside_the_organisation(cast):
    stranger = OrganisationMember.objects.get(user=cast.other_owner)
    with pytest.raises(ValidationError):
        services.ownership_transfer(user=cast.owner, organisation=cast.office_a, to=stranger)
    assert _role(cast.owner, cast.office_a) == Role.OWNER
    assert _role(cast.other_owner, cast.office_b) == Role.OWNER


def test_owner_removes_a_member_who_then_loses_access(cast):
    registry.contact_create(user=cast.editor, owner=cast.office_a, full_name="Lucía Pereira")
    seat = OrganisationMember.objects.get(user=cast.viewer)
    response = as_user(cast.owner).post(f"{ORGANISATION}members/{seat.pk}/remove/", follow=True)
    assert "valeria is no longer a member of Montevideo international office." in _text(response)
    assert _role(cast.viewer, cast.office_a) is None
    assert Contact.objects.visible_to(User.objects.get(pk=cast.viewer.pk)).count() == 0
    assert as_user(cast.viewer).get(ORGANISATION).templates[0].name == "accounts/no_organisation.html"


def test_a_member_leaves_an_organisation(cast):
    response = as_user(cast.editor).post(
        f"{ORGANISATION}leave/", {"organisation": cast.office_a.pk}, follow=True
    )
    assert "You left Montevideo international office." in _text(response)
    assert _role(cast.editor, cast.office_a) is None


@pytest.mark.parametrize("who", ["editor", "viewer"])
def test_editors_and_viewers_cannot_manage_people(cast, who):
    client = as_user(getattr(cast, who))
    viewer_seat = OrganisationMember.objects.get(user=cast.viewer)
    owner_seat = OrganisationMember.objects.get(user=cast.owner)
    _invite(cast)
    invitation = Invitation.objects.get()
    org = {"organisation": cast.office_a.pk}
    attempts = {
        "invite": client.post(
            f"{ORGANISATION}invitations/new/", {**org, "email": "x@example.org", "role": "owner"}
        ),
        "promote": client.post(f"{ORGANISATION}members/{viewer_seat.pk}/role/", {"role": "owner"}),
        "remove": client.post(f"{ORGANISATION}members/{owner_seat.pk}/remove/"),
        "transfer": client.post(f"{ORGANISATION}transfer/", {**org, "member": viewer_seat.pk}),
        "withdraw": client.post(f"{ORGANISATION}invitations/{invitation.pk}/revoke/"),
    }
    assert {name: r.status_code for name, r in attempts.items()} == dict.fromkeys(attempts, 403)
    assert _role(cast.viewer, cast.office_a) == Role.VIEWER
    assert _role(cast.owner, cast.office_a) == Role.OWNER
    assert Invitation.objects.pending().count() == 1
    # Nor do they see the pending invitations' addresses or the management forms.
    page = _text(client.get(ORGANISATION))
    assert "new.person@example.org" not in page
    assert "Transfer ownership" not in page


def test_owner_of_another_organisation_cannot_reach_its_people(cast):
    client = as_user(cast.other_owner)
    seat = OrganisationMember.objects.get(user=cast.viewer)
    _invite(cast)
    invitation = Invitation.objects.get()
    assert client.post(f"{ORGANISATION}members/{seat.pk}/role/", {"role": "owner"}).status_code == 404
    assert client.post(f"{ORGANISATION}members/{seat.pk}/remove/").status_code == 404
    assert client.post(f"{ORGANISATION}invitations/{invitation.pk}/revoke/").status_code == 404
    assert (
        client.post(
            f"{ORGANISATION}invitations/new/",
            {"organisation": cast.office_a.pk, "email": "x@example.org", "role": "owner"},
        ).status_code
        == 404
    )
    with pytest.raises(PermissionDenied):
        _ = services.invitation_create(
            user=cast.other_owner, organisation=cast.office_a, email="x@example.org", role=Role.OWNER
        )
    assert _role(cast.viewer, cast.office_a) == Role.VIEWER


def test_owner_page_lists_people_with_their_management_forms(cast):
    page = _text(as_user(cast.owner).get(ORGANISATION))
    for name in ("ana", "eduardo", "valeria"):
        assert name in page
    viewer_seat = OrganisationMember.objects.get(user=cast.viewer)
    assert f'action="/accounts/organisation/members/{viewer_seat.pk}/remove/"' in page
    assert "Transfer ownership" in page
    assert "Invite" in page


# --- Working for several organisations ------------------------------------------------------------------


def test_a_member_of_two_organisations_switches_between_them(cast):
    SeatFactory(organisation=cast.office_b, user=cast.editor, role=Role.VIEWER)
    client = as_user(cast.editor)
    assert client.get(ORGANISATION).context["organisation"] == cast.office_a
    response = client.post(f"{ORGANISATION}switch/", {"organisation": cast.office_b.pk}, follow=True)
    assert response.context["organisation"] == cast.office_b
    assert response.context["current_organisation"] == cast.office_b
    assert response.context["current_role"] == Role.VIEWER
    assert selectors.organisation_of(user=cast.editor, session=client.session) == cast.office_b
    # Not an organisation of theirs: refused, the choice stays.
    other = OrganisationFactory(slug="salto-office")
    assert client.post(f"{ORGANISATION}switch/", {"organisation": other.pk}).status_code == 404
    assert client.get(ORGANISATION).context["organisation"] == cast.office_b


# --- A metropolitan body and its member municipalities -------------------------------------------------


@pytest.fixture
def metro(cast):
    """A metropolitan body with Montevideo's office as a member; ana's office shares some records with it."""
    body = OrganisationFactory(
        slug="metro-body", name="Metropolitan area body", kind=Organisation.Kind.METROPOLITAN_BODY
    )
    Organisation.objects.filter(pk=cast.office_a.pk).update(parent=body)
    cast.office_a.refresh_from_db()
    coordinator = SeatFactory(organisation=body, user=UserFactory(username="mario"), role=Role.VIEWER).user
    editor = cast.editor
    registry.contact_create(user=editor, owner=cast.office_a, full_name="Private Person")  # private
    shared_contact = registry.contact_create(user=editor, owner=cast.office_a, full_name="Shared Person")
    registry.record_share(user=editor, record=shared_contact, organisations=[body])
    shared_project = registry.project_create(
        user=editor, owner=cast.office_a, title="Shared river project", modality="decentralised"
    )
    registry.record_share(user=editor, record=shared_project, organisations=[body])
    registry.project_create(
        user=editor, owner=cast.office_a, title="Secret budget project", modality="decentralised"
    )
    elsewhere = registry.project_create(
        user=editor, owner=cast.office_a, title="Shared with Rosario only", modality="decentralised"
    )
    registry.record_share(user=editor, record=elsewhere, organisations=[cast.office_b])
    registry.event_create(
        user=editor,
        owner=cast.office_a,
        kind="summit",
        title="Public summit",
        start_date=dt.date(2025, 5, 1),
        visibility=Visibility.PUBLIC,
    )
    registry.membership_create(
        user=editor,
        owner=cast.office_a,
        member=CityFactory(name="Montevideo"),
        network=NetworkFactory(name="Mercociudades"),
    )  # private
    return body, coordinator


def test_metropolitan_body_sees_what_its_member_shares_and_not_its_private_records(cast, metro):
    body, coordinator = metro
    [child] = selectors.shared_by_children(user=coordinator, organisation=body, with_records=True)
    assert child.organisation == cast.office_a
    found = {kind.key: sorted(str(r) for r in kind.records) for kind in child.kinds}
    assert found == {
        "agreements": [],
        "projects": ["Shared river project"],
        "events": ["Public summit"],
        "memberships": [],
        "contacts": ["Shared Person"],
    }
    assert child.total == 3

    page = _text(as_user(coordinator).get(f"{ORGANISATION}shared/"))
    for title in ("Shared river project", "Public summit", "Shared Person"):
        assert title in page
    for title in ("Private Person", "Secret budget project", "Shared with Rosario only", "Mercociudades"):
        assert title not in page


def test_metropolitan_body_page_counts_what_each_member_shares(cast, metro):
    body, coordinator = metro
    response = as_user(coordinator).get(ORGANISATION)
    page = _text(response)
    assert "Member organisations" in page
    assert "Montevideo international office" in page
    counts = {kind.key: kind.count for kind in response.context["children"][0].kinds}
    assert counts == {"agreements": 0, "projects": 1, "events": 1, "memberships": 0, "contacts": 1}
    assert Project.objects.visible_to(coordinator).filter(title="Secret budget project").count() == 0


def test_someone_seated_in_both_sees_only_the_shared_records_on_the_bodys_page(cast, metro):
    body, _coordinator = metro
    SeatFactory(organisation=body, user=cast.editor, role=Role.VIEWER)
    [child] = selectors.shared_by_children(user=cast.editor, organisation=body, with_records=True)
    contacts = next(kind for kind in child.kinds if kind.key == "contacts")
    assert [str(c) for c in contacts.records] == ["Shared Person"]


def test_shared_records_of_members_are_for_the_bodys_members_only(cast, metro):
    body, _coordinator = metro
    with pytest.raises(PermissionDenied):
        selectors.shared_by_children(user=cast.other_owner, organisation=body)
