"""The role matrix: for every page and every API operation, what each kind of person gets.

Each `Probe` is one concrete request (a route, a record, a payload) with the answer expected for each of
the six principals of tests/security/world.py. test_routes.py fails if the URL configuration or the API
schema has a route that no probe and no exclusion below names, so a new page or endpoint cannot be added
without saying who may use it.

Conventions of the answers:
- UI reads of a record the person may not see answer 404, the same as for a missing record, never 403: a
  403 would confirm that the record exists.
- UI writes: owners and editors of the record's organisation succeed (302 to the saved record), viewers get
  403, people who cannot see the record 404, anonymous visitors are sent to the log-in page (`LOGIN`).
- API writes: 201/200 for owners and editors, 403 for viewers and for anyone writing for an organisation
  they have no write role in, 404 for a record the caller cannot see, 401 without credentials.
- `lands`: the principals whose write must be found in office A's data afterwards; for everyone else the
  data must be unchanged (a refused write leaves no trace, whatever the status code).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from citydiplo.accounts.models import ApiToken, Invitation, OrganisationMember, TermOfGovernment
from citydiplo.interchange.models import ImportRun
from citydiplo.registry.models import (
    Actor,
    Agreement,
    AgreementNote,
    Contact,
    Event,
    Membership,
    Project,
    ProjectTransaction,
)
from citydiplo.registry.resolution.models import PlaceReview
from tests.factories import UserFactory
from tests.security.world import (
    ANONYMOUS,
    EDITOR,
    OFFICE_A,
    OTHER_ORG,
    OUTSIDER,
    OWNER,
    PRINCIPALS,
    VIEWER,
    WRITERS_A,
    World,
)

LOGIN = "login"  # a 302 to the log-in page
API = "/api/v1"
A_SLUG = "montevideo-office"

Expect = Mapping[str, int | str]
Url = Callable[[World, str], str]
Data = Callable[[World, str], dict[str, Any]]


@dataclass(frozen=True)
class Probe:
    route: str  # URL name ("registry:agreement-detail") or "api:<operation id>"
    what: str  # the record or situation, for the test id
    method: str
    url: Url
    expect: Expect
    data: Data | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    # Markers the principal must find in its answer (what its role allows it to see).
    shows: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Writes: did this principal's request change office A's data? Checked for every principal.
    landed: Callable[[World, str], bool] | None = None
    lands: tuple[str, ...] = WRITERS_A

    @property
    def api(self) -> bool:
        """Sent to the REST API with the principal's bearer token (pages get a signed-in session)."""
        return self.route.startswith("api:") and self.route not in API_PAGES

    @property
    def id(self) -> str:
        return f"{self.route} {self.method} {self.what}"


# --- Expectation helpers ----------------------------------------------------------------------------------


def everyone(status: int | str = 200) -> Expect:
    return dict.fromkeys(PRINCIPALS, status)


def signed_in(status: int | str = 200, anonymous: int | str = LOGIN) -> Expect:
    return {**dict.fromkeys(PRINCIPALS, status), ANONYMOUS: anonymous}


def office_a_only(hidden: int | str = 404, anonymous: int | str = 404) -> Expect:
    """A record of office A: its three people read it; nobody else learns it exists."""
    return {**dict.fromkeys(OFFICE_A, 200), OTHER_ORG: hidden, OUTSIDER: hidden, ANONYMOUS: anonymous}


def shared_with_b(anonymous: int | str = 404) -> Expect:
    return {**dict.fromkeys(OFFICE_A, 200), OTHER_ORG: 200, OUTSIDER: 404, ANONYMOUS: anonymous}


def ui_create_form(ok: int = 200) -> Expect:
    """A "new record" page: anyone with an owner or editor seat somewhere may open it (office B for its own
    records); a viewer or someone without an organisation may not."""
    return {OWNER: ok, EDITOR: ok, VIEWER: 403, OTHER_ORG: ok, OUTSIDER: 403, ANONYMOUS: LOGIN}


def ui_create_for_a() -> Expect:
    """Posting a new record for office A. Office B's owner is refused by the form: office A is not among
    the organisations it may record for (400, nothing saved)."""
    return {OWNER: 302, EDITOR: 302, VIEWER: 403, OTHER_ORG: 400, OUTSIDER: 403, ANONYMOUS: LOGIN}


def ui_edit(ok: int = 200, other_org: int = 404) -> Expect:
    return {OWNER: ok, EDITOR: ok, VIEWER: 403, OTHER_ORG: other_org, OUTSIDER: 404, ANONYMOUS: LOGIN}


def api_create_for_a() -> Expect:
    return {OWNER: 201, EDITOR: 201, VIEWER: 403, OTHER_ORG: 403, OUTSIDER: 403, ANONYMOUS: 401}


def api_edit(other_org: int = 404, ok: int = 200) -> Expect:
    return {OWNER: ok, EDITOR: ok, VIEWER: 403, OTHER_ORG: other_org, OUTSIDER: 404, ANONYMOUS: 401}


def a_sees(*markers: str) -> dict[str, tuple[str, ...]]:
    return dict.fromkeys(OFFICE_A, markers)


def a_and_b_see(a: tuple[str, ...], b: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    return {**a_sees(*a), OTHER_ORG: b}


# --- URL and payload helpers ------------------------------------------------------------------------------


def fixed(path: str) -> Url:
    return lambda world, principal: path


def named(name: str, *args: Callable[[World], Any]) -> Url:
    return lambda world, principal: reverse(name, args=[arg(world) for arg in args])


def query(name: str, qs: str) -> Url:
    return lambda world, principal: f"{reverse(name)}?{qs}"


def created(principal: str) -> str:
    return f"Created by {principal}"


def edited(principal: str) -> str:
    return f"Edited by {principal}"


def _version(model: type[Any], pk: int) -> int:
    return model.objects.get(pk=pk).version


# One new membership per writer (an office records one membership per member and network).
MEMBER_FOR = {OWNER: "porto_alegre", EDITOR: "rosario", VIEWER: "rosario", OTHER_ORG: "rosario"}


def _member(world: World, principal: str) -> Actor:
    return getattr(world, MEMBER_FOR.get(principal, "rosario"))


def _exists(model: type[Any], **filters: Any) -> Callable[[World, str], bool]:
    """A write landed in office A's data: a record of office A with the principal's marker exists."""

    def check(world: World, principal: str) -> bool:
        resolved = {k: v(principal) if callable(v) else v for k, v in filters.items()}
        return model.objects.filter(owner=world.office_a, **resolved).exists()

    return check


def _field_is(model: type[Any], record: str, name: str) -> Callable[[World, str], bool]:
    def check(world: World, principal: str) -> bool:
        pk = getattr(world, record).pk
        return getattr(model.objects.get(pk=pk), name) == edited(principal)

    return check


# --- UI probes --------------------------------------------------------------------------------------------

UI_PROBES: list[Probe] = [
    # Portal and health.
    Probe("portal:home", "front page with counts", "GET", named("portal:home"), everyone()),
    Probe("healthz", "health check", "GET", named("healthz"), everyone()),
    # Admin: Django's own pages; nobody in the matrix is staff, everyone is sent to log in.
    Probe("admin:index", "admin site", "GET", named("admin:index"), everyone(LOGIN)),
    # API documentation pages (served by the URL configuration, not API operations).
    Probe("api:openapi-json", "OpenAPI schema", "GET", named("api:openapi-json"), everyone()),
    Probe("api:openapi-view", "API docs page", "GET", named("api:openapi-view"), everyone()),
    Probe("api:api-root", "API root", "GET", fixed(f"{API}/"), everyone(404)),
    # --- Accounts ---------------------------------------------------------------------------------------
    Probe("accounts:login", "log-in page", "GET", named("accounts:login"), everyone()),
    Probe(
        "accounts:login-verify",
        "second step without a first",
        "GET",
        named("accounts:login-verify"),
        everyone(LOGIN),
    ),
    Probe(
        "accounts:organisation",
        "own organisation page",
        "GET",
        named("accounts:organisation"),
        signed_in(),
        shows={**a_sees("PRIVATE-A-mayor"), OTHER_ORG: ("PRIVATE-B-mayor",)},
    ),
    Probe(
        "accounts:term-create",
        "term of government for A",
        "POST",
        named("accounts:term-create"),
        {OWNER: 302, EDITOR: 302, VIEWER: 403, OTHER_ORG: 302, OUTSIDER: 302, ANONYMOUS: LOGIN},
        data=lambda world, p: {
            "head_name": created(p),
            "start": f"{2030 + PRINCIPALS.index(p)}-01-01",
            "end": f"{2030 + PRINCIPALS.index(p)}-12-31",
        },
        landed=lambda world, p: TermOfGovernment.objects.filter(
            organisation=world.office_a, head_name=created(p)
        ).exists(),
    ),
    # Organisation management: owners invite, change roles, remove and hand over; every member may leave.
    Probe(
        "accounts:organisation-switch",
        "work for office A",
        "POST",
        named("accounts:organisation-switch"),
        {**dict.fromkeys(OFFICE_A, 302), OTHER_ORG: 404, OUTSIDER: 404, ANONYMOUS: LOGIN},
        data=lambda w, p: {"organisation": w.office_a.pk},
    ),
    Probe(
        "accounts:organisation-shared",
        "what member municipalities share with the body",
        "GET",
        named("accounts:organisation-shared"),
        signed_in(),
        shows=a_sees("SHARED-B-project"),
    ),
    Probe(
        "accounts:invitation-create",
        "invite someone into office A",
        "POST",
        named("accounts:invitation-create"),
        {OWNER: 200, EDITOR: 403, VIEWER: 403, OTHER_ORG: 404, OUTSIDER: 404, ANONYMOUS: LOGIN},
        data=lambda w, p: {"organisation": w.office_a.pk, "email": f"{p}@example.org", "role": "viewer"},
        landed=lambda w, p: Invitation.objects.filter(
            organisation=w.office_a, email=f"{p}@example.org"
        ).exists(),
        lands=(OWNER,),
    ),
    Probe(
        "accounts:invitation-revoke",
        "withdraw an invitation of office A (a fresh one per person)",
        "POST",
        lambda w, p: reverse("accounts:invitation-revoke", args=[_invitation(w, p)[0].pk]),
        {OWNER: 302, EDITOR: 403, VIEWER: 403, OTHER_ORG: 404, OUTSIDER: 404, ANONYMOUS: LOGIN},
        landed=lambda w, p: Invitation.objects.filter(
            organisation=w.office_a, email=f"{p}@example.org", revoked_at__isnull=False
        ).exists(),
        lands=(OWNER,),
    ),
    Probe(
        "accounts:invitation",
        "an invitation link to office A",
        "GET",
        lambda w, p: reverse("accounts:invitation", args=[_invitation(w, p)[1]]),
        everyone(),
    ),
    Probe(
        "accounts:invitation",
        "a made-up invitation link",
        "GET",
        fixed("/accounts/invitations/not-a-token/"),
        everyone(404),
    ),
    Probe(
        "accounts:member-role",
        "make a viewer of office A an editor (a fresh seat per person)",
        "POST",
        lambda w, p: reverse("accounts:member-role", args=[_seat(w, p).pk]),
        {OWNER: 302, EDITOR: 403, VIEWER: 403, OTHER_ORG: 404, OUTSIDER: 404, ANONYMOUS: LOGIN},
        data=lambda w, p: {"role": "editor"},
        landed=lambda w, p: OrganisationMember.objects.filter(
            organisation=w.office_a, user__username=f"seat-{p}", role="editor"
        ).exists(),
        lands=(OWNER,),
    ),
    Probe(
        "accounts:member-remove",
        "remove a viewer from office A (a fresh seat per person)",
        "POST",
        lambda w, p: reverse("accounts:member-remove", args=[_seat(w, p).pk]),
        {OWNER: 302, EDITOR: 403, VIEWER: 403, OTHER_ORG: 404, OUTSIDER: 404, ANONYMOUS: LOGIN},
        landed=lambda w, p: (
            not OrganisationMember.objects.filter(
                organisation=w.office_a, user__username=f"seat-{p}"
            ).exists()
        ),
        lands=(OWNER,),
    ),
    Probe(
        "accounts:ownership-transfer",
        "hand office A to another member (a fresh seat per person)",
        "POST",
        named("accounts:ownership-transfer"),
        {OWNER: 302, EDITOR: 403, VIEWER: 403, OTHER_ORG: 404, OUTSIDER: 404, ANONYMOUS: LOGIN},
        data=lambda w, p: {"organisation": w.office_a.pk, "member": _seat(w, p).pk},
        landed=lambda w, p: OrganisationMember.objects.filter(
            organisation=w.office_a, user__username=f"seat-{p}", role="owner"
        ).exists(),
        lands=(OWNER,),
    ),
    Probe(
        "accounts:organisation-leave",
        "leave office A (its last owner may not)",
        "POST",
        named("accounts:organisation-leave"),
        {**dict.fromkeys(OFFICE_A, 302), OTHER_ORG: 404, OUTSIDER: 404, ANONYMOUS: LOGIN},
        data=lambda w, p: {"organisation": w.office_a.pk},
        # Only a seat in office A can be given up; for anyone else "not a member afterwards" proves nothing.
        landed=lambda w, p: (
            p in OFFICE_A
            and not OrganisationMember.objects.filter(organisation=w.office_a, user=w.users[p]).exists()
        ),
        lands=(EDITOR, VIEWER),
    ),
    Probe("accounts:security", "security settings", "GET", named("accounts:security"), signed_in()),
    Probe(
        "accounts:totp-enrol-start",
        "start two-step set-up",
        "POST",
        named("accounts:totp-enrol-start"),
        signed_in(302),
    ),
    Probe(
        "accounts:totp-enrol",
        "two-step set-up, none started",
        "GET",
        named("accounts:totp-enrol"),
        signed_in(302),
    ),
    Probe(
        "accounts:totp-disable",
        "turn two-step off without a code",
        "POST",
        named("accounts:totp-disable"),
        signed_in(302),
    ),
    Probe(
        "accounts:tokens",
        "own API tokens",
        "GET",
        named("accounts:tokens"),
        signed_in(),
        shows=dict.fromkeys((OWNER, EDITOR, VIEWER, OTHER_ORG, OUTSIDER), ("security matrix",)),
    ),
    Probe(
        "accounts:token-revoke",
        "a token of office A's owner (a fresh one per person)",
        "POST",
        lambda world, p: reverse("accounts:token-revoke", args=[_owner_token(world, p).pk]),
        {OWNER: 302, EDITOR: 404, VIEWER: 404, OTHER_ORG: 404, OUTSIDER: 404, ANONYMOUS: LOGIN},
        landed=lambda world, p: ApiToken.objects.filter(
            user=world.cast.owner, name=created(p), revoked_at__isnull=False
        ).exists(),
        lands=(OWNER,),
    ),
    # --- Networks and actors ----------------------------------------------------------------------------
    Probe(
        "registry:network-list",
        "all networks",
        "GET",
        named("registry:network-list"),
        everyone(),
        shows=a_sees("PRIVATE-A-network"),
    ),
    Probe(
        "registry:network-detail",
        "reference network with A's private member",
        "GET",
        named("registry:network-detail", lambda w: w.network.slug),
        everyone(),
        shows=a_sees("PRIVATE-A-actor"),
    ),
    Probe(
        "registry:network-detail",
        "A's private network",
        "GET",
        named("registry:network-detail", lambda w: w.a_network.slug),
        office_a_only(),
        shows=a_sees("PRIVATE-A-network"),
    ),
    Probe(
        "registry:actor-list",
        "all actors",
        "GET",
        named("registry:actor-list"),
        everyone(),
        shows=a_and_b_see(("PRIVATE-A-actor",), ("PRIVATE-B-actor",)),
    ),
    Probe(
        "registry:actor-list",
        "search PRIVATE, HTMX partial",
        "GET",
        query("registry:actor-list", "q=PRIVATE"),
        everyone(),
        headers={"HX-Request": "true"},
        shows=a_and_b_see(("PRIVATE-A-actor",), ("PRIVATE-B-actor",)),
    ),
    Probe(
        "registry:actor-search",
        "picker search PRIVATE as JSON",
        "GET",
        query("registry:actor-search", "q=PRIVATE&format=json"),
        everyone(),
        shows=a_and_b_see(("PRIVATE-A-actor",), ("PRIVATE-B-actor",)),
    ),
    Probe(
        "registry:actor-search",
        "picker search PRIVATE as HTML",
        "GET",
        query("registry:actor-search", "q=PRIVATE"),
        everyone(),
        shows=a_and_b_see(("PRIVATE-A-actor",), ("PRIVATE-B-actor",)),
    ),
    Probe(
        "registry:actor-pick",
        "pick both offices' private actors by id",
        "GET",
        lambda w, p: (
            f"{reverse('registry:actor-pick')}?_name=actor&actor={w.b_actor.pk}&_pick={w.a_actor.pk}"
        ),
        everyone(),
        shows=a_and_b_see(("PRIVATE-A-actor",), ("PRIVATE-B-actor",)),
    ),
    Probe(
        "registry:actor-detail",
        "reference city linked to A's private agreement and event",
        "GET",
        named("registry:actor-detail", lambda w: w.montevideo.slug),
        everyone(),
        shows=a_sees("PRIVATE-A-actor"),
    ),
    Probe(
        "registry:actor-detail",
        "reference city partner of A's private project and host of its event",
        "GET",
        named("registry:actor-detail", lambda w: w.rosario.slug),
        everyone(),
        shows=a_and_b_see(("PRIVATE-A-project", "PRIVATE-A-event"), ("PRIVATE-B-actor",)),
    ),
    Probe(
        "registry:actor-detail",
        "A's private actor",
        "GET",
        named("registry:actor-detail", lambda w: w.a_actor.slug),
        office_a_only(),
        shows=a_sees("PRIVATE-A-actor"),
    ),
    Probe("registry:actor-create", "form", "GET", named("registry:actor-create"), ui_create_form()),
    Probe(
        "registry:actor-create",
        "private actor for A",
        "POST",
        named("registry:actor-create"),
        ui_create_for_a(),
        data=lambda w, p: {
            "name": created(p),
            "kind": "company",
            "owner": w.office_a.pk,
            "visibility": "private",
        },
        landed=_exists(Actor, name=created),
    ),
    Probe(
        "registry:actor-edit",
        "A's private actor",
        "GET",
        named("registry:actor-edit", lambda w: w.a_actor.slug),
        ui_edit(),
    ),
    Probe(
        "registry:actor-edit",
        "A's private actor",
        "POST",
        named("registry:actor-edit", lambda w: w.a_actor.slug),
        ui_edit(302),
        data=lambda w, p: {
            "version": _version(Actor, w.a_actor.pk),
            "name": edited(p),
            "kind": "company",
            "country": "UY",
            "visibility": "private",
        },
        landed=_field_is(Actor, "a_actor", "name"),
    ),
    Probe(
        "registry:actor-edit",
        "reference city (curators only)",
        "GET",
        named("registry:actor-edit", lambda w: w.montevideo.slug),
        signed_in(403),
    ),
    Probe("registry:membership-create", "form", "GET", named("registry:membership-create"), ui_create_form()),
    Probe(
        "registry:membership-create",
        "private membership for A",
        "POST",
        named("registry:membership-create"),
        ui_create_for_a(),
        data=lambda w, p: {
            "member": _member(w, p).pk,
            "network": w.network.pk,
            "owner": w.office_a.pk,
            "visibility": "private",
            "notes": created(p),
            "roles-TOTAL_FORMS": "0",
            "roles-INITIAL_FORMS": "0",
            "roles-MIN_NUM_FORMS": "0",
            "roles-MAX_NUM_FORMS": "1000",
        },
        landed=_exists(Membership, notes=created),
    ),
    # --- Agreements ---------------------------------------------------------------------------------------
    Probe(
        "registry:agreement-list",
        "all agreements",
        "GET",
        named("registry:agreement-list"),
        everyone(),
        shows=a_and_b_see(
            ("PRIVATE-A-agreement", "SHARED-A-agreement"), ("SHARED-A-agreement", "PRIVATE-B-agreement")
        ),
    ),
    Probe(
        "registry:agreement-list",
        "filtered: cooperation, signed 2021, search PRIVATE",
        "GET",
        query("registry:agreement-list", "q=PRIVATE&kind=cooperation&year=2021"),
        everyone(),
        shows=a_sees("PRIVATE-A-agreement"),
    ),
    Probe("registry:agreement-create", "form", "GET", named("registry:agreement-create"), ui_create_form()),
    Probe(
        "registry:agreement-create",
        "private agreement for A",
        "POST",
        named("registry:agreement-create"),
        ui_create_for_a(),
        data=lambda w, p: {
            "kind": "mou",
            "parties": [w.montevideo.pk, w.rosario.pk],
            "title": created(p),
            "status": "unknown",
            "owner": w.office_a.pk,
            "visibility": "private",
        },
        landed=_exists(Agreement, title=created),
    ),
    Probe(
        "registry:agreement-detail",
        "A's private agreement",
        "GET",
        named("registry:agreement-detail", lambda w: w.a_agreement.pk),
        office_a_only(),
        shows=a_sees("PRIVATE-A-agreement", "PRIVATE-A-actor"),
    ),
    Probe(
        "registry:agreement-detail",
        "agreement A shares with B",
        "GET",
        named("registry:agreement-detail", lambda w: w.shared_agreement.pk),
        shared_with_b(),
        shows=a_and_b_see(("SHARED-A-agreement",), ("SHARED-A-agreement",)),
    ),
    Probe(
        "registry:agreement-detail",
        "reference agreement carrying A's note and document",
        "GET",
        named("registry:agreement-detail", lambda w: w.reference_agreement.pk),
        everyone(),
        shows=a_and_b_see(("PRIVATE-A-note", "PRIVATE-A-document"), ("PRIVATE-B-note",)),
    ),
    Probe(
        "registry:agreement-edit",
        "A's private agreement",
        "GET",
        named("registry:agreement-edit", lambda w: w.a_agreement.pk),
        ui_edit(),
    ),
    Probe(
        "registry:agreement-edit",
        "A's private agreement",
        "POST",
        named("registry:agreement-edit", lambda w: w.a_agreement.pk),
        ui_edit(302),
        data=lambda w, p: {
            "version": _version(Agreement, w.a_agreement.pk),
            "kind": "cooperation",
            "parties": [w.montevideo.pk, w.rosario.pk],
            "title": edited(p),
            "status": "active",
            "visibility": "private",
        },
        landed=_field_is(Agreement, "a_agreement", "title"),
    ),
    Probe(
        "registry:agreement-edit",
        "agreement A shares with B (B reads, may not change)",
        "POST",
        named("registry:agreement-edit", lambda w: w.shared_agreement.pk),
        ui_edit(302, other_org=403),
        data=lambda w, p: {
            "version": _version(Agreement, w.shared_agreement.pk),
            "kind": "mou",
            "parties": [w.montevideo.pk, w.porto_alegre.pk],
            "title": edited(p),
            "status": "active",
            "visibility": "shared",
            "shared_with": [w.office_b.pk],
        },
        landed=_field_is(Agreement, "shared_agreement", "title"),
    ),
    Probe(
        "registry:agreement-note-create",
        "form on the reference agreement",
        "GET",
        named("registry:agreement-note-create", lambda w: w.reference_agreement.pk),
        ui_create_form(),
    ),
    Probe(
        "registry:agreement-note-create",
        "A's note on A's private agreement",
        "POST",
        named("registry:agreement-note-create", lambda w: w.a_agreement.pk),
        {OWNER: 302, EDITOR: 302, VIEWER: 403, OTHER_ORG: 404, OUTSIDER: 404, ANONYMOUS: LOGIN},
        data=lambda w, p: {"owner": w.office_a.pk, "why_signed": created(p), "visibility": "private"},
        landed=_exists(AgreementNote, why_signed=created),
    ),
    Probe(
        "registry:agreement-note-create",
        "a note for A on the reference agreement",
        "POST",
        named("registry:agreement-note-create", lambda w: w.reference_agreement.pk),
        ui_create_for_a(),
        data=lambda w, p: {"owner": w.office_a.pk, "why_signed": created(p), "visibility": "private"},
        landed=_exists(AgreementNote, why_signed=created),
    ),
    # --- Projects -------------------------------------------------------------------------------------
    Probe(
        "registry:project-list",
        "all projects",
        "GET",
        named("registry:project-list"),
        everyone(),
        shows=a_and_b_see(("PRIVATE-A-project", "SHARED-A-project"), ("SHARED-A-project",)),
    ),
    Probe(
        "registry:project-list",
        "filtered: search PRIVATE, decentralised",
        "GET",
        query("registry:project-list", "q=PRIVATE&modality=decentralised"),
        everyone(),
        shows=a_sees("PRIVATE-A-project"),
    ),
    Probe("registry:project-create", "form", "GET", named("registry:project-create"), ui_create_form()),
    Probe(
        "registry:project-create",
        "private project for A",
        "POST",
        named("registry:project-create"),
        ui_create_for_a(),
        data=lambda w, p: {
            "title": created(p),
            "modality": "decentralised",
            "status": "pipeline",
            "owner": w.office_a.pk,
            "visibility": "private",
        },
        landed=_exists(Project, title=created),
    ),
    Probe(
        "registry:project-detail",
        "A's private project with partner and transaction",
        "GET",
        named("registry:project-detail", lambda w: w.a_project.pk),
        office_a_only(),
        shows=a_sees("PRIVATE-A-project", "PRIVATE-A-actor"),
    ),
    Probe(
        "registry:project-detail",
        "project A shares with B",
        "GET",
        named("registry:project-detail", lambda w: w.shared_project.pk),
        shared_with_b(),
        shows=a_and_b_see(("SHARED-A-project",), ("SHARED-A-project",)),
    ),
    Probe(
        "registry:project-detail",
        "A's public project",
        "GET",
        named("registry:project-detail", lambda w: w.public_project.pk),
        everyone(),
    ),
    Probe(
        "registry:project-edit",
        "A's private project",
        "GET",
        named("registry:project-edit", lambda w: w.a_project.pk),
        ui_edit(),
    ),
    Probe(
        "registry:project-edit",
        "A's private project",
        "POST",
        named("registry:project-edit", lambda w: w.a_project.pk),
        ui_edit(302),
        data=lambda w, p: {
            "version": _version(Project, w.a_project.pk),
            "title": edited(p),
            "modality": "decentralised",
            "status": "implementation",
            "visibility": "private",
        },
        landed=_field_is(Project, "a_project", "title"),
    ),
    Probe(
        "registry:project-edit",
        "A's public project (B reads, may not change)",
        "GET",
        named("registry:project-edit", lambda w: w.public_project.pk),
        ui_edit(other_org=403) | {OUTSIDER: 403},
    ),
    # --- Events -------------------------------------------------------------------------------------------
    Probe(
        "registry:event-list",
        "all events",
        "GET",
        named("registry:event-list"),
        everyone(),
        shows=a_sees("PRIVATE-A-event"),
    ),
    Probe(
        "registry:event-list",
        "filtered: delegations of 2023, search PRIVATE",
        "GET",
        query("registry:event-list", "q=PRIVATE&kind=outgoing_delegation&year=2023"),
        everyone(),
        shows=a_sees("PRIVATE-A-event"),
    ),
    Probe("registry:event-create", "form", "GET", named("registry:event-create"), ui_create_form()),
    Probe(
        "registry:event-create",
        "private event for A",
        "POST",
        named("registry:event-create"),
        ui_create_for_a(),
        data=lambda w, p: {
            "kind": "visit",
            "title": created(p),
            "start_date": "2024-01-02",
            "owner": w.office_a.pk,
            "visibility": "private",
        },
        landed=_exists(Event, title=created),
    ),
    Probe(
        "registry:event-detail",
        "A's private event",
        "GET",
        named("registry:event-detail", lambda w: w.a_event.pk),
        office_a_only(),
        shows=a_sees("PRIVATE-A-event", "PRIVATE-A-actor"),
    ),
    Probe(
        "registry:event-detail",
        "A's public event",
        "GET",
        named("registry:event-detail", lambda w: w.public_event.pk),
        everyone(),
    ),
    Probe(
        "registry:event-edit",
        "A's private event",
        "GET",
        named("registry:event-edit", lambda w: w.a_event.pk),
        ui_edit(),
    ),
    Probe(
        "registry:event-edit",
        "A's private event",
        "POST",
        named("registry:event-edit", lambda w: w.a_event.pk),
        ui_edit(302),
        data=lambda w, p: {
            "version": _version(Event, w.a_event.pk),
            "kind": "outgoing_delegation",
            "title": edited(p),
            "start_date": "2023-04-02",
            "visibility": "private",
        },
        landed=_field_is(Event, "a_event", "title"),
    ),
    # --- Contacts -------------------------------------------------------------------------------------
    Probe(
        "registry:contact-list",
        "all contacts",
        "GET",
        named("registry:contact-list"),
        everyone(),
        shows=a_and_b_see(("PRIVATE-A-contact",), ("PRIVATE-B-contact",)),
    ),
    Probe(
        "registry:contact-list",
        "search PRIVATE",
        "GET",
        query("registry:contact-list", "q=PRIVATE"),
        everyone(),
        shows=a_and_b_see(("PRIVATE-A-contact",), ("PRIVATE-B-contact",)),
    ),
    Probe("registry:contact-create", "form", "GET", named("registry:contact-create"), ui_create_form()),
    Probe(
        "registry:contact-create",
        "private contact for A",
        "POST",
        named("registry:contact-create"),
        ui_create_for_a(),
        data=lambda w, p: {
            "full_name": created(p),
            "owner": w.office_a.pk,
            "visibility": "private",
            "lawful_basis": "public_task",
        },
        landed=_exists(Contact, full_name=created),
    ),
    Probe(
        "registry:contact-detail",
        "A's private contact",
        "GET",
        named("registry:contact-detail", lambda w: w.a_contact.pk),
        office_a_only(),
        shows=a_sees("PRIVATE-A-contact"),
    ),
    Probe(
        "registry:contact-edit",
        "A's private contact",
        "GET",
        named("registry:contact-edit", lambda w: w.a_contact.pk),
        ui_edit(),
    ),
    Probe(
        "registry:contact-edit",
        "A's private contact",
        "POST",
        named("registry:contact-edit", lambda w: w.a_contact.pk),
        ui_edit(302),
        data=lambda w, p: {
            "version": _version(Contact, w.a_contact.pk),
            "full_name": edited(p),
            "visibility": "private",
            "lawful_basis": "public_task",
        },
        landed=_field_is(Contact, "a_contact", "full_name"),
    ),
    # Personal data: export and erasure answer the person's requests; the office's writers only.
    Probe(
        "registry:contact-export",
        "everything held on A's private contact",
        "GET",
        named("registry:contact-export", lambda w: w.a_contact.pk),
        ui_edit(200),
        shows=dict.fromkeys(WRITERS_A, ("PRIVATE-A-contact",)),
    ),
    Probe(
        "registry:contact-erase",
        "confirm erasing A's private contact",
        "GET",
        named("registry:contact-erase", lambda w: w.a_contact.pk),
        ui_edit(200),
        shows=dict.fromkeys(WRITERS_A, ("PRIVATE-A-contact",)),
    ),
    Probe(
        "registry:contact-erase",
        "erase A's private contact",
        "POST",
        named("registry:contact-erase", lambda w: w.a_contact.pk),
        ui_edit(302),
        data=lambda w, p: _contact_not_erased(w),
        landed=lambda w, p: Contact.objects.get(pk=w.a_contact.pk).erased_at is not None,
    ),
    Probe(
        "registry:contact-retention",
        "keep A's private contact longer",
        "POST",
        named("registry:contact-retention", lambda w: w.a_contact.pk),
        ui_edit(302),
        data=lambda w, p: {
            "version": _version(Contact, w.a_contact.pk),
            "retention_until": f"{2090 + PRINCIPALS.index(p)}-01-01",
        },
        landed=lambda w, p: (
            Contact.objects.get(pk=w.a_contact.pk).retention_until
            == dt.date(2090 + PRINCIPALS.index(p), 1, 1)
        ),
    ),
    # --- Documents (the one export of a stored file) --------------------------------------------------
    Probe(
        "registry:document-download",
        "A's private document",
        "GET",
        named("registry:document-download", lambda w: w.a_document.pk),
        office_a_only(),
        shows=a_sees("PRIVATE-A-document-content"),
    ),
    # --- Imports ----------------------------------------------------------------------------------------
    Probe(
        "interchange:import-list",
        "imports page",
        "GET",
        named("interchange:import-list"),
        signed_in(),
        shows=a_sees("PRIVATE-A-import.csv"),
    ),
    Probe(
        "interchange:import-list",
        "upload a file for the person's organisation",
        "POST",
        named("interchange:import-list"),
        {OWNER: 302, EDITOR: 302, VIEWER: 403, OTHER_ORG: 302, OUTSIDER: 200, ANONYMOUS: LOGIN},
        data=lambda w, p: {
            "kind": "memberships",
            "mode": "dry_run",
            "visibility": "private",
            "file": SimpleUploadedFile(
                f"{created(p)}.csv", b"network,city,country\nMercociudades,Salto,UY\n"
            ),
        },
        landed=lambda w, p: ImportRun.objects.filter(
            organisation=w.office_a, file_name=f"{created(p)}.csv"
        ).exists(),
    ),
    Probe(
        "interchange:import-detail",
        "A's import run",
        "GET",
        named("interchange:import-detail", lambda w: w.a_import.pk),
        office_a_only(anonymous=LOGIN),
        shows=a_sees("PRIVATE-A-import.csv"),
    ),
    Probe(
        "interchange:import-progress",
        "A's import run",
        "GET",
        named("interchange:import-progress", lambda w: w.a_import.pk),
        office_a_only(anonymous=LOGIN),
    ),
    # --- Place reviews ----------------------------------------------------------------------------------
    Probe(
        "resolution:review-list",
        "review queue",
        "GET",
        named("resolution:review-list"),
        signed_in(),
        shows=a_sees("PRIVATE-A-place"),
    ),
    Probe(
        "resolution:review-decide",
        "reject A's pending review (a fresh one per person)",
        "POST",
        lambda w, p: reverse("resolution:review-decide", args=[_fresh_review(w, p).pk]),
        {OWNER: 302, EDITOR: 302, VIEWER: 403, OTHER_ORG: 404, OUTSIDER: 404, ANONYMOUS: LOGIN},
        data=lambda w, p: {"action": "reject"},
        landed=lambda w, p: PlaceReview.objects.filter(
            organisation=w.office_a, name=created(p), status=PlaceReview.Status.REJECTED
        ).exists(),
    ),
    # --- Change history -----------------------------------------------------------------------------------
    Probe(
        "history:activity",
        "the organisation's activity feed",
        "GET",
        named("history:activity"),
        {**dict.fromkeys(OFFICE_A, 200), OTHER_ORG: 200, OUTSIDER: 404, ANONYMOUS: LOGIN},
        shows={**a_sees("PRIVATE-A-project"), OTHER_ORG: ("PRIVATE-B-contact",)},
    ),
    Probe(
        "history:record",
        "history of A's private project",
        "GET",
        lambda w, p: reverse("history:record", args=["registry", "project", w.a_project.pk]),
        office_a_only(anonymous=LOGIN),
        shows=a_sees("PRIVATE-A-project"),
    ),
    Probe(
        "history:record",
        "history of the project A shares with B: not B's to read",
        "GET",
        lambda w, p: reverse("history:record", args=["registry", "project", w.shared_project.pk]),
        office_a_only(anonymous=LOGIN),
        shows=a_sees("SHARED-A-project"),
    ),
    Probe(
        "history:revert",
        "restore the title of A's private event",
        "POST",
        lambda w, p: reverse("history:revert", args=["registry", "event", w.a_event.pk]),
        {OWNER: 302, EDITOR: 302, VIEWER: 403, OTHER_ORG: 404, OUTSIDER: 404, ANONYMOUS: LOGIN},
        data=lambda w, p: _revert_title_request(w, p),
        landed=lambda w, p: Event.objects.get(pk=w.a_event.pk).title != f"REVERT-ME-{p}",
    ),
]


def _revert_title_request(world: World, principal: str) -> dict[str, Any]:
    """Office A's owner renames the event; the principal asks to restore the title it had before."""
    from citydiplo.registry import services

    event = Event.objects.get(pk=world.a_event.pk)
    event = services.record_update(
        user=world.cast.owner,
        record=event,
        expected_version=event.version,
        changes={"title": f"REVERT-ME-{principal}"},
    )
    before = event.history.order_by("-history_date", "-history_id")[1]
    return {"history_id": before.history_id, "version": event.version, "field": "title"}


def _contact_not_erased(world: World) -> dict[str, Any]:
    """Each principal asks to erase the same person: bring the person back before each request."""
    Contact.objects.filter(pk=world.a_contact.pk).update(erased_at=None, full_name="PRIVATE-A-contact")
    return {}


def _owner_token(world: World, principal: str) -> ApiToken:
    from citydiplo.accounts.services import api_token_create

    return api_token_create(user=world.cast.owner, name=created(principal), scope="read")[0]


def _seat(world: World, principal: str) -> OrganisationMember:
    """A new viewer of office A, the target of one principal's attempt."""
    user = UserFactory(username=f"seat-{principal}")
    return OrganisationMember.objects.create(organisation=world.office_a, user=user, role="viewer")


def _invitation(world: World, principal: str) -> tuple[Invitation, str]:
    from citydiplo.accounts.services import invitation_create

    return invitation_create(
        user=world.cast.owner, organisation=world.office_a, email=f"{principal}@example.org", role="viewer"
    )


def _fresh_review(world: World, principal: str) -> PlaceReview:
    return PlaceReview.objects.create(
        organisation=world.office_a,
        name=created(principal),
        key=created(principal).lower(),
        country_code="UY",
    )


# --- API probes -------------------------------------------------------------------------------------------


def api(path: str) -> Url:
    return lambda world, principal: f"{API}{path}"


def api_of(template: str, *args: Callable[[World], Any]) -> Url:
    return lambda world, principal: f"{API}{template.format(*[arg(world) for arg in args])}"


API_PROBES: list[Probe] = [
    Probe("api:theme_list", "themes", "GET", api("/themes"), everyone()),
    Probe(
        "api:network_list",
        "all networks",
        "GET",
        api("/networks"),
        everyone(),
        shows=a_sees("PRIVATE-A-network"),
    ),
    Probe(
        "api:network_detail",
        "reference network with A's private membership",
        "GET",
        api_of("/networks/{}", lambda w: w.network.slug),
        everyone(),
        shows=a_sees("PRIVATE-A-actor", "PRIVATE-A-membership"),
    ),
    Probe(
        "api:network_detail",
        "A's private network",
        "GET",
        api_of("/networks/{}", lambda w: w.a_network.slug),
        office_a_only(),
    ),
    Probe(
        "api:actor_list",
        "all actors",
        "GET",
        api("/actors?limit=500"),
        everyone(),
        shows=a_and_b_see(("PRIVATE-A-actor",), ("PRIVATE-B-actor",)),
    ),
    Probe(
        "api:actor_list",
        "members of the reference network, search PRIVATE",
        "GET",
        api("/actors?network=mercociudades&q=PRIVATE"),
        everyone(),
        shows=a_sees("PRIVATE-A-actor"),
    ),
    Probe(
        "api:actor_detail",
        "reference city party to A's private agreement",
        "GET",
        api_of("/actors/{}", lambda w: w.montevideo.slug),
        everyone(),
        shows=a_sees("PRIVATE-A-agreement"),
    ),
    Probe(
        "api:actor_detail",
        "A's private actor",
        "GET",
        api_of("/actors/{}", lambda w: w.a_actor.slug),
        office_a_only(),
        shows=a_sees("PRIVATE-A-actor", "PRIVATE-A-membership"),
    ),
    Probe(
        "api:actor_create",
        "private actor for A",
        "POST",
        api("/actors"),
        api_create_for_a(),
        data=lambda w, p: {"owner": A_SLUG, "name": created(p), "kind": "company"},
        landed=_exists(Actor, name=created),
    ),
    Probe(
        "api:actor_update",
        "A's private actor",
        "PATCH",
        api_of("/actors/{}", lambda w: w.a_actor.slug),
        api_edit(),
        data=lambda w, p: {"version": _version(Actor, w.a_actor.pk), "name": edited(p)},
        landed=_field_is(Actor, "a_actor", "name"),
    ),
    Probe(
        "api:membership_list",
        "all memberships",
        "GET",
        api("/memberships"),
        everyone(),
        shows=a_sees("PRIVATE-A-membership"),
    ),
    Probe(
        "api:membership_list",
        "memberships of A's private actor",
        "GET",
        api_of("/memberships?member={}&current=true", lambda w: w.a_actor.slug),
        everyone(),
        shows=a_sees("PRIVATE-A-membership"),
    ),
    Probe(
        "api:membership_create",
        "private membership for A",
        "POST",
        api("/memberships"),
        api_create_for_a(),
        data=lambda w, p: {
            "owner": A_SLUG,
            "member": _member(w, p).slug,
            "network": w.network.slug,
            "notes": created(p),
        },
        landed=_exists(Membership, notes=created),
    ),
    Probe(
        "api:agreement_list",
        "all agreements",
        "GET",
        api("/agreements"),
        everyone(),
        shows=a_and_b_see(
            ("PRIVATE-A-agreement", "SHARED-A-agreement"), ("SHARED-A-agreement", "PRIVATE-B-agreement")
        ),
    ),
    Probe(
        "api:agreement_list",
        "owned by office A",
        "GET",
        api(f"/agreements?owner={A_SLUG}"),
        everyone(),
        shows=a_and_b_see(("PRIVATE-A-agreement",), ("SHARED-A-agreement",)),
    ),
    Probe(
        "api:agreement_list",
        "party: A's private actor",
        "GET",
        api_of("/agreements?actor={}", lambda w: w.a_actor.slug),
        everyone(),
        shows=a_sees("PRIVATE-A-agreement"),
    ),
    Probe(
        "api:agreement_list",
        "search PRIVATE, cooperation, 2021, party country UY",
        "GET",
        api("/agreements?q=PRIVATE&kind=cooperation&year=2021&country=UY"),
        everyone(),
        shows=a_sees("PRIVATE-A-agreement"),
    ),
    Probe(
        "api:agreement_detail",
        "A's private agreement",
        "GET",
        api_of("/agreements/{}", lambda w: w.a_agreement.pk),
        office_a_only(),
        shows=a_sees("PRIVATE-A-agreement"),
    ),
    Probe(
        "api:agreement_detail",
        "agreement A shares with B",
        "GET",
        api_of("/agreements/{}", lambda w: w.shared_agreement.pk),
        shared_with_b(),
        shows=a_and_b_see(("SHARED-A-agreement",), ("SHARED-A-agreement",)),
    ),
    Probe(
        "api:agreement_create",
        "private agreement for A",
        "POST",
        api("/agreements"),
        api_create_for_a(),
        data=lambda w, p: {
            "owner": A_SLUG,
            "kind": "mou",
            "parties": [w.montevideo.slug, w.rosario.slug],
            "title": created(p),
        },
        landed=_exists(Agreement, title=created),
    ),
    Probe(
        "api:agreement_update",
        "A's private agreement",
        "PATCH",
        api_of("/agreements/{}", lambda w: w.a_agreement.pk),
        api_edit(),
        data=lambda w, p: {"version": _version(Agreement, w.a_agreement.pk), "title": edited(p)},
        landed=_field_is(Agreement, "a_agreement", "title"),
    ),
    Probe(
        "api:agreement_update",
        "agreement A shares with B (B reads, may not change)",
        "PATCH",
        api_of("/agreements/{}", lambda w: w.shared_agreement.pk),
        api_edit(other_org=403),
        data=lambda w, p: {"version": _version(Agreement, w.shared_agreement.pk), "title": edited(p)},
        landed=_field_is(Agreement, "shared_agreement", "title"),
    ),
    Probe(
        "api:agreement_note_list",
        "notes on the reference agreement",
        "GET",
        api_of("/agreements/{}/notes", lambda w: w.reference_agreement.pk),
        everyone(),
        shows=a_and_b_see(("PRIVATE-A-note",), ("PRIVATE-B-note",)),
    ),
    Probe(
        "api:agreement_note_list",
        "notes on A's private agreement",
        "GET",
        api_of("/agreements/{}/notes", lambda w: w.a_agreement.pk),
        office_a_only(),
    ),
    Probe(
        "api:agreement_note_create",
        "a note for A on the reference agreement",
        "POST",
        api_of("/agreements/{}/notes", lambda w: w.reference_agreement.pk),
        api_create_for_a(),
        data=lambda w, p: {"owner": A_SLUG, "why_signed": created(p)},
        landed=_exists(AgreementNote, why_signed=created),
    ),
    Probe(
        "api:agreement_note_create",
        "a note on A's private agreement",
        "POST",
        api_of("/agreements/{}/notes", lambda w: w.a_agreement.pk),
        {**api_create_for_a(), OTHER_ORG: 404, OUTSIDER: 404},
        data=lambda w, p: {"owner": A_SLUG, "why_signed": created(p)},
        landed=_exists(AgreementNote, why_signed=created),
    ),
    Probe(
        "api:project_list",
        "all projects",
        "GET",
        api("/projects"),
        everyone(),
        shows=a_and_b_see(("PRIVATE-A-project", "SHARED-A-project"), ("SHARED-A-project",)),
    ),
    Probe(
        "api:project_list",
        "partner: A's private actor",
        "GET",
        api_of("/projects?partner={}&q=PRIVATE&modality=decentralised", lambda w: w.a_actor.slug),
        everyone(),
        shows=a_sees("PRIVATE-A-project"),
    ),
    Probe(
        "api:project_detail",
        "A's private project with partner and transaction",
        "GET",
        api_of("/projects/{}", lambda w: w.a_project.pk),
        office_a_only(),
        shows=a_sees("PRIVATE-A-project", "PRIVATE-A-actor", "PRIVATE-A-transaction"),
    ),
    Probe(
        "api:project_detail",
        "A's public project",
        "GET",
        api_of("/projects/{}", lambda w: w.public_project.pk),
        everyone(),
    ),
    Probe(
        "api:project_create",
        "private project for A",
        "POST",
        api("/projects"),
        api_create_for_a(),
        data=lambda w, p: {"owner": A_SLUG, "title": created(p), "modality": "decentralised"},
        landed=_exists(Project, title=created),
    ),
    Probe(
        "api:project_update",
        "A's private project",
        "PATCH",
        api_of("/projects/{}", lambda w: w.a_project.pk),
        api_edit(),
        data=lambda w, p: {"version": _version(Project, w.a_project.pk), "title": edited(p)},
        landed=_field_is(Project, "a_project", "title"),
    ),
    Probe(
        "api:project_update",
        "A's public project (B reads, may not change)",
        "PATCH",
        api_of("/projects/{}", lambda w: w.public_project.pk),
        {**api_edit(other_org=403), OUTSIDER: 403},
        data=lambda w, p: {"version": _version(Project, w.public_project.pk), "title": edited(p)},
        landed=_field_is(Project, "public_project", "title"),
    ),
    Probe(
        "api:project_transaction_create",
        "money on A's private project",
        "POST",
        api_of("/projects/{}/transactions", lambda w: w.a_project.pk),
        {**api_create_for_a(), OTHER_ORG: 404, OUTSIDER: 404},
        data=lambda w, p: {
            "kind": "disbursement",
            "date": "2024-01-01",
            "amount": {"amount": "1.00", "currency": "EUR"},
            "description": created(p),
        },
        landed=lambda w, p: ProjectTransaction.objects.filter(
            project__owner=w.office_a, description=created(p)
        ).exists(),
    ),
    Probe("api:event_list", "all events", "GET", api("/events"), everyone(), shows=a_sees("PRIVATE-A-event")),
    Probe(
        "api:event_list",
        "place: A's private actor, 2023, delegations",
        "GET",
        api_of("/events?place={}&year=2023&kind=outgoing_delegation&q=PRIVATE", lambda w: w.a_actor.slug),
        everyone(),
        shows=a_sees("PRIVATE-A-event"),
    ),
    Probe(
        "api:event_detail",
        "A's private event",
        "GET",
        api_of("/events/{}", lambda w: w.a_event.pk),
        office_a_only(),
        shows=a_sees("PRIVATE-A-event", "PRIVATE-A-actor"),
    ),
    Probe(
        "api:event_create",
        "private event for A",
        "POST",
        api("/events"),
        api_create_for_a(),
        data=lambda w, p: {"owner": A_SLUG, "kind": "visit", "title": created(p), "start_date": "2024-01-02"},
        landed=_exists(Event, title=created),
    ),
    Probe(
        "api:event_update",
        "A's private event",
        "PATCH",
        api_of("/events/{}", lambda w: w.a_event.pk),
        api_edit(),
        data=lambda w, p: {"version": _version(Event, w.a_event.pk), "title": edited(p)},
        landed=_field_is(Event, "a_event", "title"),
    ),
    Probe(
        "api:contact_list",
        "all contacts",
        "GET",
        api("/contacts"),
        everyone(),
        shows=a_and_b_see(("PRIVATE-A-contact",), ("PRIVATE-B-contact",)),
    ),
    Probe(
        "api:contact_list",
        "institution: the reference city, search PRIVATE",
        "GET",
        api_of("/contacts?institution={}&q=PRIVATE", lambda w: w.rosario.slug),
        everyone(),
        shows=a_sees("PRIVATE-A-contact"),
    ),
    Probe(
        "api:contact_detail",
        "A's private contact",
        "GET",
        api_of("/contacts/{}", lambda w: w.a_contact.pk),
        office_a_only(),
        shows=a_sees("PRIVATE-A-contact"),
    ),
    Probe(
        "api:contact_create",
        "private contact for A",
        "POST",
        api("/contacts"),
        api_create_for_a(),
        data=lambda w, p: {"owner": A_SLUG, "full_name": created(p), "lawful_basis": "public_task"},
        landed=_exists(Contact, full_name=created),
    ),
    Probe(
        "api:contact_personal_data",
        "everything held on A's private contact",
        "GET",
        api_of("/contacts/{}/personal-data", lambda w: w.a_contact.pk),
        {OWNER: 200, EDITOR: 200, VIEWER: 403, OTHER_ORG: 404, OUTSIDER: 404, ANONYMOUS: 401},
        shows=dict.fromkeys(WRITERS_A, ("PRIVATE-A-contact",)),
    ),
    Probe(
        "api:contact_erase",
        "erase A's private contact",
        "POST",
        api_of("/contacts/{}/erase", lambda w: w.a_contact.pk),
        api_edit(),
        data=lambda w, p: _contact_not_erased(w),
        landed=lambda w, p: Contact.objects.get(pk=w.a_contact.pk).erased_at is not None,
    ),
    Probe(
        "api:contact_update",
        "A's private contact",
        "PATCH",
        api_of("/contacts/{}", lambda w: w.a_contact.pk),
        api_edit(),
        data=lambda w, p: {"version": _version(Contact, w.a_contact.pk), "full_name": edited(p)},
        landed=_field_is(Contact, "a_contact", "full_name"),
    ),
]

# API operations are probed through the API (bearer tokens); these three URL patterns of the API's
# namespace are pages, probed as UI routes above.
API_PAGES = {"api:openapi-json", "api:openapi-view", "api:api-root"}


# --- Routes deliberately left out, with the reason ---------------------------------------------------------

EXCLUDED_ROUTES: dict[str, str] = {
    "favicon.ico": "a permanent redirect to a static file; reads no record",
    "set_language": "Django's i18n view: stores the chosen language in a cookie, reads no record",
    "accounts:logout": "Django's LogoutView (POST only): ends the caller's own session, reads no record",
}
# Every URL pattern in these namespaces is left out, except the probed ones above.
EXCLUDED_NAMESPACES: dict[str, str] = {
    "admin": "Django's admin site: staff only, guarded by Django's own permission checks; "
    "the index probe above shows non-staff people are sent to log in",
}

# The apps' own parts of the matrix (tests/security/apps/<app>.py, see world.app_modules).
from tests.security.world import app_modules  # noqa: E402

for _module in app_modules():
    UI_PROBES += _module.UI_PROBES
    API_PROBES += _module.API_PROBES
    EXCLUDED_ROUTES.update(getattr(_module, "EXCLUDED_ROUTES", {}))

PROBES: list[Probe] = [*UI_PROBES, *API_PROBES]
