"""The registry's REST endpoints (mounted at /api/v1/ by citydiplo/api.py).

Endpoints are thin: check the input's shape (schemas.py), turn slugs into records the reader may see,
call a selector or a service, return the record. Who sees what is decided by the selectors, who may
change what by the services; errors become HTTP answers in citydiplo/api.py (403, 404, 409, 422).

Reads (`auth=READ_AUTH`) are open to anonymous callers, who see reference facts and public records only,
and to API tokens of either scope and signed-in sessions. Writes (`auth=WRITE_AUTH`, also the API-wide
default, so an endpoint that forgets to say is closed) need a write token or a session with CSRF. Both
lists come from citydiplo/accounts/api_auth.py.

No `from __future__ import annotations` here, unlike the rest of the code base: django-ninja reads the
endpoints' annotations at import time, and resolves string annotations of @paginate-wrapped functions in
ninja's own module namespace, where our schemas do not exist.
"""

from collections.abc import Iterable
from typing import Any, overload

from django.core.exceptions import ValidationError
from django.db.models import QuerySet, prefetch_related_objects
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from citydiplo.accounts.api_auth import READ_AUTH, WRITE_AUTH
from citydiplo.accounts.models import Organisation
from citydiplo.registry import privacy, selectors, services
from citydiplo.registry.models import Actor, Event, Project, Theme
from citydiplo.registry.schemas import (
    ActorCreate,
    ActorDetail,
    ActorFilters,
    ActorOut,
    ActorPatch,
    AgreementCreate,
    AgreementDetail,
    AgreementFilters,
    AgreementNoteCreate,
    AgreementNoteOut,
    AgreementOut,
    AgreementPatch,
    ContactCreate,
    ContactFilters,
    ContactOut,
    ContactPatch,
    ErrorOut,
    EventCreate,
    EventDetail,
    EventFilters,
    EventOut,
    EventPatch,
    MembershipCreate,
    MembershipFilters,
    MembershipOut,
    NetworkDetail,
    NetworkFilters,
    NetworkOut,
    PersonalDataExport,
    ProjectCreate,
    ProjectDetail,
    ProjectFilters,
    ProjectOut,
    ProjectPatch,
    RecordPatch,
    StaleEditOut,
    ThemeOut,
    TransactionIn,
    TransactionOut,
    ValidationErrorOut,
)

router = Router()

# --- Who is calling ------------------------------------------------------------------------------------


def _caller(request: HttpRequest) -> Any:
    """The user ninja authenticated (request.auth): a User, or an AnonymousUser on public reads."""
    return request.auth  # type: ignore[attr-defined]


# Documented error answers (the bodies come from the handlers in citydiplo/api.py and ninja's own for
# authentication, unreadable bodies and throttling). Every endpoint may answer 401 (a wrong, revoked or
# expired token is refused even on public reads), 422 (a query or body of the wrong shape) and 429 (over the
# rate limit); writes also 400 (a body that is not JSON at all).
READ = {401: ErrorOut, 422: ValidationErrorOut, 429: ErrorOut}
READ_ONE = {**READ, 404: ErrorOut}
WRITE = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut, 429: ErrorOut}
EDIT = {**WRITE, 409: StaleEditOut}

MAX_PAGE = 500
# Far beyond any registry, and within a bigint: PostgreSQL refused a larger OFFSET with a server error.
MAX_OFFSET = 1_000_000_000


class Page(LimitOffsetPagination):
    """limit/offset pages of at most 500, always in a total order so no row is skipped or repeated
    between pages (the selectors' orderings can tie, e.g. two cities of the same name)."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_PAGE)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_PAGE, **kwargs)

    def paginate_queryset(
        self, queryset: QuerySet, pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        ordering = list(queryset.query.order_by) or list(queryset.model._meta.ordering)
        if not {"pk", "-pk", "id", "-id"} & {str(term) for term in ordering}:
            ordering.append("pk")
        return super().paginate_queryset(queryset.order_by(*ordering), pagination, request, **params)


# --- Turning slugs into records the caller may see ------------------------------------------------------


@overload
def _owner(slug: str) -> Organisation: ...
@overload
def _owner(slug: str | None) -> Organisation | None: ...
def _owner(slug: str | None) -> Organisation | None:
    """The owner a write names. Whether the caller may write for it is the service's decision."""
    if slug is None:
        return None
    try:
        return selectors.record_owner_get(slug=slug)
    except Organisation.DoesNotExist:
        raise ValidationError(
            {"owner": [_("There is no organisation “%(slug)s”.") % {"slug": slug}]}
        ) from None


def _actor(user: Any, slug: str, field: str) -> Actor:
    # The same message for a missing and a hidden actor, so a write cannot probe for private records.
    try:
        return selectors.actor_get(user=user, slug=slug)
    except Actor.DoesNotExist:
        raise ValidationError({field: [_("There is no actor “%(slug)s”.") % {"slug": slug}]}) from None


def _actor_or_none(user: Any, slug: str | None, field: str) -> Actor | None:
    return None if slug is None else _actor(user, slug, field)


def _actors(user: Any, slugs: Iterable[str], field: str) -> list[Actor]:
    return [_actor(user, slug, field) for slug in dict.fromkeys(slugs)]


def _themes(keys: Iterable[str]) -> list[Theme]:
    wanted = list(dict.fromkeys(keys))
    found = {theme.key: theme for theme in selectors.theme_list().filter(key__in=wanted)}
    unknown = [key for key in wanted if key not in found]
    if unknown:
        raise ValidationError({"themes": [_("Unknown theme: %(keys)s.") % {"keys": ", ".join(unknown)}]})
    return [found[key] for key in wanted]


class _NoSuchFilterValue(Exception):
    """A list filter names an actor or organisation the caller cannot see: the list is empty."""


def _filter_actor(user: Any, slug: str) -> Actor | None:
    if not slug:
        return None
    try:
        return selectors.actor_get(user=user, slug=slug)
    except Actor.DoesNotExist:
        raise _NoSuchFilterValue from None


def _changes(payload: RecordPatch, record: Any, *, exclude: set[str]) -> dict[str, Any]:
    """The fields a PATCH sent, minus `version` and the relations the endpoint converts itself."""
    changes = payload.dict(exclude_unset=True, exclude={"version", *exclude})
    if "visibility" in changes and record.owner_id is None:
        raise ValidationError({"visibility": [_("Reference facts are always public.")]})
    return changes


def _money_changes(changes: dict[str, Any], field: str, amount_field: str, currency_field: str) -> None:
    """Split a `{"amount", "currency"}` change into the model's two columns (null clears both)."""
    if field in changes:
        money = changes.pop(field)
        changes[amount_field] = money["amount"] if money else None
        changes[currency_field] = money["currency"] if money else ""


def _sent(payload: Schema, field: str) -> bool:
    return field in payload.model_fields_set


# --- Themes ------------------------------------------------------------------------------------------------


@router.get("/themes", response={200: list[ThemeOut], **READ}, auth=READ_AUTH, tags=["themes"])
def theme_list(request: HttpRequest) -> Any:
    """The controlled list of themes (a short, fixed list: not paginated)."""
    return selectors.theme_list()


# --- Networks ----------------------------------------------------------------------------------------------


@router.get("/networks", response={200: list[NetworkOut], **READ}, auth=READ_AUTH, tags=["networks"])
@paginate(Page)
def network_list(request: HttpRequest, filters: Query[NetworkFilters]) -> Any:
    """Networks and alliances, largest first, with their current members and countries you may see."""
    return selectors.network_search(user=_caller(request), **filters.dict())


@router.get("/networks/{slug}", response={200: NetworkDetail, **READ_ONE}, auth=READ_AUTH, tags=["networks"])
def network_detail(request: HttpRequest, slug: str) -> Any:
    """A network with its members (current first) and the roles each held, period by period."""
    network = selectors.network_get(user=_caller(request), slug=slug)
    overview = selectors.network_overview(user=_caller(request), network=network)
    # Attached like annotations, so the schema reads them without querying.
    network.visible_members = overview.current + overview.former  # type: ignore[attr-defined]
    network.member_count = overview.member_count  # type: ignore[attr-defined]
    network.country_count = overview.country_count  # type: ignore[attr-defined]
    return network


# --- Actors --------------------------------------------------------------------------------------------------


def _actor_detail(user: Any, slug: str) -> Actor:
    actor = selectors.actor_get(user=user, slug=slug)
    prefetch_related_objects([actor], "owner", "themes")
    actor.visible_memberships = list(  # type: ignore[attr-defined]
        selectors.membership_list(user=user, member=actor)
        .select_related("owner")
        .order_by("until", "network__name", "pk")
    )
    actor.visible_partners = selectors.twinning_partners(user=user, actor=actor)  # type: ignore[attr-defined]
    return actor


@router.get("/actors", response={200: list[ActorOut], **READ}, auth=READ_AUTH, tags=["actors"])
@paginate(Page)
def actor_list(request: HttpRequest, filters: Query[ActorFilters]) -> Any:
    """Cities, regions, networks, agencies and every other party of international action."""
    return (
        selectors.actor_list(user=_caller(request), **filters.dict())
        .select_related("owner", "parent")
        .prefetch_related("themes")
    )


@router.get("/actors/{slug}", response={200: ActorDetail, **READ_ONE}, auth=READ_AUTH, tags=["actors"])
def actor_detail(request: HttpRequest, slug: str) -> Any:
    """An actor with its network memberships (roles by period) and its agreement partners."""
    return _actor_detail(_caller(request), slug)


@router.post("/actors", response={201: ActorDetail, **WRITE}, auth=WRITE_AUTH, tags=["actors"])
def actor_create(request: HttpRequest, payload: ActorCreate) -> Any:
    user = _caller(request)
    fields = payload.dict(exclude={"owner", "visibility", "themes", "parent"})
    actor = services.actor_create(
        user=user,
        owner=_owner(payload.owner),
        visibility=payload.visibility,
        themes=_themes(payload.themes),
        parent=_actor_or_none(user, payload.parent, "parent"),
        **fields,
    )
    return 201, _actor_detail(user, actor.slug)


@router.patch("/actors/{slug}", response={200: ActorDetail, **EDIT}, auth=WRITE_AUTH, tags=["actors"])
def actor_update(request: HttpRequest, slug: str, payload: ActorPatch) -> Any:
    """Change the fields sent. `version` must be the one you read, or the edit is refused with 409."""
    user = _caller(request)
    actor = selectors.actor_get(user=user, slug=slug)
    changes = _changes(payload, actor, exclude={"themes"})
    if "parent" in changes:
        changes["parent"] = _actor_or_none(user, changes["parent"], "parent")
    m2m: dict[str, Iterable[Any]] | None = (
        {"themes": _themes(payload.themes)} if _sent(payload, "themes") else None
    )
    services.record_update(
        user=user, record=actor, expected_version=payload.version, changes=changes, m2m=m2m
    )
    return _actor_detail(user, slug)


# --- Memberships -------------------------------------------------------------------------------------------


@router.get("/memberships", response={200: list[MembershipOut], **READ}, auth=READ_AUTH, tags=["memberships"])
@paginate(Page)
def membership_list(request: HttpRequest, filters: Query[MembershipFilters]) -> Any:
    """Memberships of actors in networks, each with its roles by period."""
    user = _caller(request)
    try:
        network, member = _filter_actor(user, filters.network), _filter_actor(user, filters.member)
    except _NoSuchFilterValue:
        return selectors.membership_list(user=user).none()
    return selectors.membership_list(
        user=user, network=network, member=member, role=filters.role, current=filters.current
    ).select_related("owner")


@router.post("/memberships", response={201: MembershipOut, **WRITE}, auth=WRITE_AUTH, tags=["memberships"])
def membership_create(request: HttpRequest, payload: MembershipCreate) -> Any:
    user = _caller(request)
    fee = payload.annual_fee
    membership = services.membership_create(
        user=user,
        owner=_owner(payload.owner),
        visibility=payload.visibility,
        member=_actor(user, payload.member, "member"),
        network=_actor(user, payload.network, "network"),
        roles=[services.RoleSpec(period.role, period.since, period.until) for period in payload.roles],
        since=payload.since,
        until=payload.until,
        annual_fee=fee.amount if fee else None,
        fee_currency=fee.currency if fee else "",
        notes=payload.notes,
        source=payload.source,
        as_of=payload.as_of,
        verified=payload.verified,
    )
    return 201, selectors.membership_list(user=user, member=membership.member).select_related("owner").get(
        pk=membership.pk
    )


# --- Agreements --------------------------------------------------------------------------------------------


@router.get("/agreements", response={200: list[AgreementOut], **READ}, auth=READ_AUTH, tags=["agreements"])
@paginate(Page)
def agreement_list(request: HttpRequest, filters: Query[AgreementFilters]) -> Any:
    """Twinning, friendship and cooperation agreements and MoUs, most recently signed first."""
    user = _caller(request)
    criteria = filters.dict(exclude={"actor", "owner"})
    try:
        criteria["actor"] = _filter_actor(user, filters.actor)
        if filters.owner:
            try:
                criteria["owner_id"] = selectors.record_owner_get(slug=filters.owner).pk
            except Organisation.DoesNotExist:
                raise _NoSuchFilterValue from None
    except _NoSuchFilterValue:
        return selectors.agreement_list(user=user).none()
    return selectors.agreement_search(user=user, **criteria).prefetch_related("themes")


@router.get(
    "/agreements/{id}", response={200: AgreementDetail, **READ_ONE}, auth=READ_AUTH, tags=["agreements"]
)
def agreement_detail(request: HttpRequest, id: int) -> Any:
    return selectors.agreement_get(user=_caller(request), pk=id)


@router.post("/agreements", response={201: AgreementDetail, **WRITE}, auth=WRITE_AUTH, tags=["agreements"])
def agreement_create(request: HttpRequest, payload: AgreementCreate) -> Any:
    user = _caller(request)
    fields = payload.dict(exclude={"owner", "visibility", "themes", "parties"})
    agreement = services.agreement_create(
        user=user,
        owner=_owner(payload.owner),
        visibility=payload.visibility,
        parties=_actors(user, payload.parties, "parties"),
        themes=_themes(payload.themes),
        **fields,
    )
    return 201, selectors.agreement_get(user=user, pk=agreement.pk)


@router.patch(
    "/agreements/{id}", response={200: AgreementDetail, **EDIT}, auth=WRITE_AUTH, tags=["agreements"]
)
def agreement_update(request: HttpRequest, id: int, payload: AgreementPatch) -> Any:
    """Change the fields sent; `parties` and `themes`, when sent, replace the current ones."""
    user = _caller(request)
    agreement = selectors.agreement_get(user=user, pk=id)
    services.agreement_update(
        user=user,
        agreement=agreement,
        expected_version=payload.version,
        changes=_changes(payload, agreement, exclude={"parties", "themes"}),
        parties=(
            _actors(user, payload.parties, "parties")
            if _sent(payload, "parties")
            else list(agreement.parties.all())
        ),
        themes=_themes(payload.themes) if _sent(payload, "themes") else list(agreement.themes.all()),
    )
    return selectors.agreement_get(user=user, pk=id)


@router.get(
    "/agreements/{id}/notes",
    response={200: list[AgreementNoteOut], **READ_ONE},
    auth=READ_AUTH,
    tags=["agreements"],
)
@paginate(Page)
def agreement_note_list(request: HttpRequest, id: int) -> Any:
    """Offices' notes on an agreement (why it was signed...), the ones you may see, newest first."""
    agreement = selectors.agreement_get(user=_caller(request), pk=id)
    return selectors.agreement_notes(user=_caller(request), agreement=agreement)


@router.post(
    "/agreements/{id}/notes", response={201: AgreementNoteOut, **WRITE}, auth=WRITE_AUTH, tags=["agreements"]
)
def agreement_note_create(request: HttpRequest, id: int, payload: AgreementNoteCreate) -> Any:
    user = _caller(request)
    note = services.agreement_note_create(
        user=user,
        agreement=selectors.agreement_get(user=user, pk=id),
        owner=_owner(payload.owner),
        visibility=payload.visibility,
        why_signed=payload.why_signed,
        notes=payload.notes,
    )
    return 201, note


# --- Projects ----------------------------------------------------------------------------------------------


def _project_detail(user: Any, pk: int) -> Project:
    project = selectors.project_get(user=user, pk=pk)
    prefetch_related_objects([project], "transactions__provider", "transactions__receiver")
    return project


def _partner_specs(user: Any, partners: Iterable[Any]) -> list[services.PartnerSpec]:
    return [services.PartnerSpec(_actor(user, p.actor, "partners"), p.role) for p in partners]


@router.get("/projects", response={200: list[ProjectOut], **READ}, auth=READ_AUTH, tags=["projects"])
@paginate(Page)
def project_list(request: HttpRequest, filters: Query[ProjectFilters]) -> Any:
    """Cooperation projects, most recently started first."""
    user = _caller(request)
    try:
        partner = _filter_actor(user, filters.partner)
    except _NoSuchFilterValue:
        return selectors.project_list(user=user).none()
    return selectors.project_list(user=user, **filters.dict(exclude={"partner"}), partner=partner)


@router.get("/projects/{id}", response={200: ProjectDetail, **READ_ONE}, auth=READ_AUTH, tags=["projects"])
def project_detail(request: HttpRequest, id: int) -> Any:
    """A project with its partners (IATI roles) and its transactions."""
    return _project_detail(_caller(request), id)


@router.post("/projects", response={201: ProjectDetail, **WRITE}, auth=WRITE_AUTH, tags=["projects"])
def project_create(request: HttpRequest, payload: ProjectCreate) -> Any:
    user = _caller(request)
    fields = payload.dict(exclude={"owner", "visibility", "themes", "partners", "budget"})
    budget = payload.budget
    project = services.project_create(
        user=user,
        owner=_owner(payload.owner),
        visibility=payload.visibility,
        partners=_partner_specs(user, payload.partners),
        themes=_themes(payload.themes),
        budget=budget.amount if budget else None,
        currency=budget.currency if budget else "",
        **fields,
    )
    return 201, _project_detail(user, project.pk)


@router.patch("/projects/{id}", response={200: ProjectDetail, **EDIT}, auth=WRITE_AUTH, tags=["projects"])
def project_update(request: HttpRequest, id: int, payload: ProjectPatch) -> Any:
    """Change the fields sent; `partners` and `themes`, when sent, replace the current ones."""
    user = _caller(request)
    project = selectors.project_get(user=user, pk=id)
    changes = _changes(payload, project, exclude={"partners", "themes"})
    _money_changes(changes, "budget", "budget", "currency")
    if _sent(payload, "partners"):
        partners = _partner_specs(user, payload.partners)
    else:
        partners = [services.PartnerSpec(link.actor, link.role) for link in project.partner_links.all()]
    services.project_update(
        user=user,
        project=project,
        expected_version=payload.version,
        changes=changes,
        partners=partners,
        themes=_themes(payload.themes) if _sent(payload, "themes") else list(project.themes.all()),
    )
    return _project_detail(user, id)


@router.post(
    "/projects/{id}/transactions", response={201: TransactionOut, **WRITE}, auth=WRITE_AUTH, tags=["projects"]
)
def project_transaction_create(request: HttpRequest, id: int, payload: TransactionIn) -> Any:
    """Record money committed, received or spent for a project (IATI transaction types)."""
    user = _caller(request)
    return 201, services.project_transaction_add(
        user=user,
        project=selectors.project_get(user=user, pk=id),
        kind=payload.kind,
        date=payload.date,
        amount=payload.amount.amount,
        currency=payload.amount.currency,
        provider=_actor_or_none(user, payload.provider, "provider"),
        receiver=_actor_or_none(user, payload.receiver, "receiver"),
        description=payload.description,
    )


# --- Events and missions -----------------------------------------------------------------------------------


@router.get("/events", response={200: list[EventOut], **READ}, auth=READ_AUTH, tags=["events"])
@paginate(Page)
def event_list(request: HttpRequest, filters: Query[EventFilters]) -> Any:
    """Summits, conferences, delegations and visits, most recent first."""
    user = _caller(request)
    try:
        place = _filter_actor(user, filters.place)
    except _NoSuchFilterValue:
        return selectors.event_list(user=user).none()
    return selectors.event_list(user=user, **filters.dict(exclude={"place"}), place=place).prefetch_related(
        "themes"
    )


def _event_detail(user: Any, pk: int) -> Event:
    event = selectors.event_get(user=user, pk=pk)
    prefetch_related_objects([event], "themes")
    return event


@router.get("/events/{id}", response={200: EventDetail, **READ_ONE}, auth=READ_AUTH, tags=["events"])
def event_detail(request: HttpRequest, id: int) -> Any:
    return _event_detail(_caller(request), id)


@router.post("/events", response={201: EventDetail, **WRITE}, auth=WRITE_AUTH, tags=["events"])
def event_create(request: HttpRequest, payload: EventCreate) -> Any:
    user = _caller(request)
    fields = payload.dict(
        exclude={"owner", "visibility", "themes", "participants", "place", "network", "cost"}
    )
    cost = payload.cost
    event = services.event_create(
        user=user,
        owner=_owner(payload.owner),
        visibility=payload.visibility,
        participants=_actors(user, payload.participants, "participants"),
        themes=_themes(payload.themes),
        place=_actor_or_none(user, payload.place, "place"),
        network=_actor_or_none(user, payload.network, "network"),
        cost=cost.amount if cost else None,
        cost_currency=cost.currency if cost else "",
        **fields,
    )
    return 201, _event_detail(user, event.pk)


@router.patch("/events/{id}", response={200: EventDetail, **EDIT}, auth=WRITE_AUTH, tags=["events"])
def event_update(request: HttpRequest, id: int, payload: EventPatch) -> Any:
    """Change the fields sent; `participants` and `themes`, when sent, replace the current ones."""
    user = _caller(request)
    event = selectors.event_get(user=user, pk=id)
    changes = _changes(payload, event, exclude={"participants", "themes"})
    for field in ("place", "network"):
        if field in changes:
            changes[field] = _actor_or_none(user, changes[field], field)
    _money_changes(changes, "cost", "cost", "cost_currency")
    m2m: dict[str, Any] = {}
    if _sent(payload, "participants"):
        m2m["participants"] = _actors(user, payload.participants, "participants")
    if _sent(payload, "themes"):
        m2m["themes"] = _themes(payload.themes)
    services.record_update(
        user=user, record=event, expected_version=payload.version, changes=changes, m2m=m2m
    )
    return _event_detail(user, id)


# --- Contacts ----------------------------------------------------------------------------------------------


@router.get("/contacts", response={200: list[ContactOut], **READ}, auth=READ_AUTH, tags=["contacts"])
@paginate(Page)
def contact_list(request: HttpRequest, filters: Query[ContactFilters]) -> Any:
    """People in partner institutions: those you may see (contacts are private by default)."""
    user = _caller(request)
    try:
        institution = _filter_actor(user, filters.institution)
    except _NoSuchFilterValue:
        return selectors.contact_list(user=user).none()
    return selectors.contact_list(user=user, q=filters.q, institution=institution)


@router.get("/contacts/{id}", response={200: ContactOut, **READ_ONE}, auth=READ_AUTH, tags=["contacts"])
def contact_detail(request: HttpRequest, id: int) -> Any:
    return selectors.contact_get(user=_caller(request), pk=id)


@router.post("/contacts", response={201: ContactOut, **WRITE}, auth=WRITE_AUTH, tags=["contacts"])
def contact_create(request: HttpRequest, payload: ContactCreate) -> Any:
    user = _caller(request)
    fields = payload.dict(exclude={"owner", "visibility", "institution"})
    contact = services.contact_create(
        user=user,
        owner=_owner(payload.owner),
        visibility=payload.visibility,
        institution=_actor_or_none(user, payload.institution, "institution"),
        **fields,
    )
    return 201, selectors.contact_get(user=user, pk=contact.pk)


@router.patch("/contacts/{id}", response={200: ContactOut, **EDIT}, auth=WRITE_AUTH, tags=["contacts"])
def contact_update(request: HttpRequest, id: int, payload: ContactPatch) -> Any:
    user = _caller(request)
    contact = selectors.contact_get(user=user, pk=id)
    changes = _changes(payload, contact, exclude=set())
    if "institution" in changes:
        changes["institution"] = _actor_or_none(user, changes["institution"], "institution")
    services.record_update(user=user, record=contact, expected_version=payload.version, changes=changes)
    return selectors.contact_get(user=user, pk=id)


@router.get(
    "/contacts/{id}/personal-data",
    response={200: PersonalDataExport, **READ_ONE, 403: ErrorOut},
    auth=WRITE_AUTH,
    tags=["contacts"],
)
def contact_personal_data(request: HttpRequest, id: int) -> Any:
    """Everything the office holds on the person (a subject access or portability request): each of the
    office's contact records of the person, with its change history. The office's owners and editors only."""
    user = _caller(request)
    return privacy.contact_export(user=user, contact=selectors.contact_get(user=user, pk=id))


@router.post("/contacts/{id}/erase", response={200: ContactOut, **EDIT}, auth=WRITE_AUTH, tags=["contacts"])
def contact_erase(request: HttpRequest, id: int) -> Any:
    """Erase the person (right to be forgotten): the identity leaves the contact and every earlier version
    in its history; the relation (institution, position, dates) stays. Cannot be undone."""
    user = _caller(request)
    privacy.contact_erase(user=user, contact=selectors.contact_get(user=user, pk=id))
    return selectors.contact_get(user=user, pk=id)
