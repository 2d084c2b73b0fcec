"""The strategy pages as each person sees them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from citydiplo.accounts.records import Visibility
from citydiplo.registry.models import Project, ProjectModality
from citydiplo.strategy import services
from citydiplo.strategy.models import (
    Axis,
    AxisKind,
    ConsultationFormat,
    Objective,
    ObjectiveFamily,
    SdgTarget,
    Stakeholder,
    StakeholderGroup,
    Strategy,
    StrategyStatus,
)
from tests.factories import CityFactory


def _project(owner, title, visibility=Visibility.PRIVATE):
    return Project.objects.create(
        owner=owner, title=title, modality=ProjectModality.DECENTRALISED, visibility=visibility
    )


def test_owner_reads_the_strategy_with_its_five_families(client, cast, strategy):
    client.force_login(cast.viewer)
    page = client.get(strategy.get_absolute_url()).content.decode()
    assert "PRIVATE-A-strategy" in page
    for label in (
        "Projection and attraction",
        "Knowledge exchange with peers",
        "Advocacy and global influence",
    ):
        assert label in page
    assert "Learn from peers on water" in page


@pytest.mark.parametrize("who", ["outsider", "other_owner", None])
def test_a_private_strategy_is_a_404_to_others(client, cast, strategy, who):
    if who:
        client.force_login(getattr(cast, who))
    assert client.get(strategy.get_absolute_url()).status_code == 404
    assert "PRIVATE-A-strategy" not in client.get(reverse("strategy:strategy-list")).content.decode()


def test_viewer_cannot_edit(client, cast, strategy):
    client.force_login(cast.viewer)
    assert client.get(reverse("strategy:strategy-edit", args=[strategy.pk])).status_code == 403


def test_editor_creates_a_strategy_through_the_form(client, cast):
    client.force_login(cast.editor)
    response = client.post(
        reverse("strategy:strategy-create"),
        {
            "title": "Estrategia 2026",
            "owner": cast.office_a.pk,
            "status": StrategyStatus.DRAFT,
            "visibility": Visibility.PRIVATE,
            "thesis_start": "2026-01-01",
            "thesis_end": "2026-03-31",
        },
    )
    assert response.status_code == 400  # a three-month thesis is refused
    assert "12 to 18 months" in response.content.decode()
    response = client.post(
        reverse("strategy:strategy-create"),
        {
            "title": "Estrategia 2026",
            "owner": cast.office_a.pk,
            "status": StrategyStatus.DRAFT,
            "visibility": Visibility.PRIVATE,
            "thesis_start": "2026-01-01",
            "thesis_end": "2027-01-31",
        },
    )
    strategy = Strategy.objects.get(title="Estrategia 2026")
    assert response.status_code == 302 and strategy.owner == cast.office_a


def test_objective_links_only_actions_the_writer_may_see(client, cast, strategy):
    own = _project(cast.office_a, "Montevideo water project")
    hidden = _project(cast.office_b, "PRIVATE-B-project Rosario's own")
    objective = strategy.objectives.get()
    with pytest.raises(Exception, match="No such record"):
        services.objective_update(
            user=cast.owner,
            objective=objective,
            expected_version=objective.version,
            changes={},
            projects=[hidden],
        )
    services.objective_update(
        user=cast.owner, objective=objective, expected_version=objective.version, changes={}, projects=[own]
    )
    client.force_login(cast.viewer)
    page = client.get(objective.get_absolute_url()).content.decode()
    assert "Montevideo water project" in page


def test_a_reader_sees_only_the_linked_actions_they_may_see(client, cast, strategy):
    """Office A makes its strategy public; a linked private project stays hidden from office B."""
    secret = _project(cast.office_a, "PRIVATE-A-project secret")
    objective = strategy.objectives.get()
    services.objective_update(
        user=cast.owner,
        objective=objective,
        expected_version=objective.version,
        changes={},
        projects=[secret],
    )
    services.strategy_update(
        user=cast.owner,
        strategy=strategy,
        expected_version=strategy.version,
        changes={"visibility": "public"},
    )
    objective.refresh_from_db()
    assert objective.visibility == Visibility.PUBLIC  # children follow their strategy
    client.force_login(cast.other_owner)
    page = client.get(objective.get_absolute_url()).content.decode()
    assert "PRIVATE-A-project" not in page
    assert "1 more linked action is not visible to you" in page


def test_a_revision_keeps_the_previous_version_readable(client, cast, strategy):
    client.force_login(cast.owner)
    response = client.post(
        reverse("strategy:strategy-revise", args=[strategy.pk]), {"note": "Mid-term review"}
    )
    assert response.status_code == 302
    strategy.refresh_from_db()
    assert strategy.status == StrategyStatus.UNDER_REVISION
    services.strategy_update(
        user=cast.owner,
        strategy=strategy,
        expected_version=strategy.version,
        changes={"vision": "A new vision"},
    )
    old = client.get(reverse("strategy:version-detail", args=[strategy.pk, 1])).content.decode()
    assert "A city open to the world" in old and "A new vision" not in old
    assert "Learn from peers on water" in old
    assert strategy.history.count() >= 3  # created, put under revision, edited


def test_a_stale_edit_is_refused(client, cast, strategy):
    client.force_login(cast.owner)
    url = reverse("strategy:strategy-edit", args=[strategy.pk])
    services.strategy_update(
        user=cast.editor, strategy=strategy, expected_version=1, changes={"vision": "Theirs"}
    )
    response = client.post(
        url,
        {"title": strategy.title, "status": "draft", "visibility": "private", "version": 1, "vision": "Mine"},
    )
    assert response.status_code == 409
    strategy.refresh_from_db()
    assert strategy.vision == "Theirs"


def test_alignment_matrix_shows_targets_coverage_gaps_and_projects(client, cast, strategy, sdg_catalogue):
    objective = strategy.objectives.get()
    services.objective_tag(
        user=cast.owner, objective=objective, targets=SdgTarget.objects.filter(code__in=["6.1", "11.2"])
    )
    project = _project(cast.office_a, "Water pipes")
    services.project_sdg_tags_set(
        user=cast.owner, project=project, targets=SdgTarget.objects.filter(code="6.1")
    )
    services.objective_update(
        user=cast.owner,
        objective=objective,
        expected_version=objective.version,
        changes={},
        projects=[project],
    )
    client.force_login(cast.viewer)
    response = client.get(reverse("strategy:alignment", args=[strategy.pk]))
    matrix = response.context["matrix"]
    column = {c.goal.number: c for c in matrix.columns}
    assert column[6].objective_count == 1 and column[6].targets_tagged == 1 and column[6].target_total == 8
    assert column[6].project_count == 1
    assert len(matrix.gaps) == 15
    page = response.content.decode()
    assert "6.1" in page and "11.2" in page and 'data-strategy-chart="alignment-chart"' in page


def test_stakeholders_consultations_and_externalities(client, cast, strategy):
    chamber = services.stakeholder_create(
        user=cast.owner, owner=cast.office_a, group=StakeholderGroup.PRIVATE_SECTOR, name="Cámara de Comercio"
    )
    consultation = services.consultation_create(
        user=cast.owner,
        strategy=strategy,
        date=dt.date(2025, 5, 2),
        format=ConsultationFormat.WORKSHOP,
        participants=[chamber],
        requests="More trade missions",
        response="Objective 3 adds two missions a year",
    )
    externality = services.externality_create(
        user=cast.owner,
        strategy=strategy,
        title="Rising rents near the port",
        mitigation="Affordable housing quota",
        objectives=list(strategy.objectives.all()),
    )
    client.force_login(cast.viewer)
    assert "Cámara de Comercio" in client.get(consultation.get_absolute_url()).content.decode()
    assert "Affordable housing quota" in client.get(externality.get_absolute_url()).content.decode()
    page = client.get(strategy.get_absolute_url()).content.decode()
    assert "Rising rents near the port" in page and "Cámara de Comercio" in page
    other = services.stakeholder_create(
        user=cast.other_owner, owner=cast.office_b, group=StakeholderGroup.MEDIA, name="Rosario radio"
    )
    with pytest.raises(Exception, match="another organisation"):
        services.consultation_update(
            user=cast.owner, consultation=consultation, expected_version=1, changes={}, participants=[other]
        )


def test_axes_check_their_countries(cast):
    with pytest.raises(Exception, match="ISO 3166"):
        services.axis_create(
            user=cast.owner, owner=cast.office_a, kind=AxisKind.GEOGRAPHIC, name="X", countries=["ZZ"]
        )
    axis = services.axis_create(
        user=cast.owner,
        owner=cast.office_a,
        kind=AxisKind.GEOGRAPHIC,
        name="Mercosur",
        countries=["br", "AR"],
    )
    assert axis.countries == ["BR", "AR"]


def test_project_sdg_tags_need_write_access_to_the_project(client, cast, sdg_catalogue):
    project = _project(cast.office_a, "Bus rapid transit", visibility=Visibility.PUBLIC)
    target = SdgTarget.objects.get(code="11.2")
    client.force_login(cast.other_owner)
    url = reverse("strategy:project-sdg", args=[project.pk])
    assert client.post(url, {"targets": [target.pk]}).status_code == 403
    client.force_login(cast.editor)
    assert client.post(url, {"targets": [target.pk]}).status_code == 302
    assert "11.2" in client.get(url).content.decode()


def test_the_guided_start_builds_a_strategy_in_the_users_language(client, cast, sdg_catalogue):
    client.force_login(cast.owner)
    with translation.override("es"):
        start = reverse("strategy:wizard")
    assert start.startswith("/es/")
    form = client.get(start).content.decode()
    assert "Inicio guiado" in form and "Paso 1 de 5" in form
    response = client.post(
        start,
        {
            "owner": cast.office_a.pk,
            "start_year": 2026,
            "end_year": 2030,
            "vision": "Una ciudad abierta",
            "thesis": "Redes",
        },
    )
    strategy = Strategy.objects.get(owner=cast.office_a)
    assert response.status_code == 302
    assert strategy.title == "Estrategia internacional de Montevideo international office 2026–2030"
    with translation.override("es"):
        objectives_url = reverse("strategy:wizard-objectives", args=[strategy.pk])
        axes_url = reverse("strategy:wizard-axes", args=[strategy.pk])
        stakeholders_url = reverse("strategy:wizard-stakeholders", args=[strategy.pk])
        done_url = reverse("strategy:wizard-done", args=[strategy.pk])
    keys = ["attract", "learn", "cooperate", "culture", "voice"]
    client.post(objectives_url, {"objective": keys})
    # Submitting a step twice (the back button) adds nothing twice.
    client.post(objectives_url, {"objective": keys})
    assert set(strategy.objectives.values_list("family", flat=True)) == set(ObjectiveFamily.values)
    assert strategy.objectives.count() == 5
    assert strategy.objectives.filter(title__startswith="Aprender de ciudades pares").exists()
    assert SdgTarget.objects.filter(objectives__strategy=strategy).exists()
    client.post(
        axes_url, {"theme": ["mobility", "water"], "region": ["continent-SA"], "country": ["ES", "FR"]}
    )
    names = set(Axis.objects.filter(owner=cast.office_a).values_list("name", flat=True))
    assert names == {"Movilidad y transporte", "Agua y saneamiento", "Sudamérica", "Países prioritarios"}
    client.post(stakeholders_url, {f"group-{g}": f"Ejemplo {g}" for g in StakeholderGroup.values})
    assert Stakeholder.objects.filter(owner=cast.office_a).count() == 6
    page = client.get(done_url).content.decode()
    assert "Su primera estrategia está lista" in page and "5 objetivos" in page
    assert Objective.objects.filter(strategy=strategy, axes__isnull=False).exists()


def test_a_stakeholder_may_name_a_registry_actor_its_writer_can_see(client, cast):
    from citydiplo.registry.models import Actor, ActorKind

    university = CityFactory(name="Universidad de la República", kind=ActorKind.UNIVERSITY, slug="udelar")
    hidden = Actor.objects.create(
        owner=cast.office_b, name="PRIVATE-B-actor", slug="zq-b-hidden", kind=ActorKind.COMPANY
    )
    with pytest.raises(Exception, match="No such record"):
        services.stakeholder_create(
            user=cast.owner, owner=cast.office_a, group=StakeholderGroup.ACADEMIA, name="X", actor=hidden
        )
    client.force_login(cast.editor)
    response = client.post(
        reverse("strategy:stakeholder-create"),
        {
            "owner": cast.office_a.pk,
            "group": "academia",
            "name": "UdelaR",
            "actor": university.pk,
            "visibility": "private",
        },
    )
    assert response.status_code == 302
    assert Stakeholder.objects.get(name="UdelaR").actor == university


def test_the_objective_form_groups_targets_by_goal(client, cast, strategy, sdg_catalogue):
    client.force_login(cast.owner)
    page = client.get(
        reverse("strategy:objective-edit", args=[strategy.objectives.get().pk])
    ).content.decode()
    assert '<optgroup label="11. Sustainable cities and communities">' in page
    assert page.count("<optgroup") == 17


def test_wizard_steps_swap_in_place_with_htmx(client, cast, strategy):
    client.force_login(cast.owner)
    url = reverse("strategy:wizard-axes", args=[strategy.pk])
    response = client.get(url, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert response["HX-Push-Url"] == url
    assert page.lstrip().startswith('<div id="wizard"') and "<html" not in page
    assert "<html" in client.get(url).content.decode()  # without HTMX: the whole page


def test_a_document_is_attached_and_read_like_the_strategy(client, cast, strategy, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client.force_login(cast.editor)
    response = client.post(
        reverse("strategy:document-create", args=[strategy.pk]),
        {
            "title": "Adopted text",
            "file": SimpleUploadedFile("strategy.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    document = strategy.documents.get()
    assert (document.owner, document.visibility) == (cast.office_a, strategy.visibility)
    client.force_login(cast.viewer)
    assert "Adopted text" in client.get(strategy.get_absolute_url()).content.decode()
    assert client.get(reverse("registry:document-download", args=[document.pk])).status_code == 200
    client.force_login(cast.other_owner)
    assert client.get(reverse("registry:document-download", args=[document.pk])).status_code == 404


def test_an_office_without_a_strategy_is_offered_the_guided_start(client, cast):
    client.force_login(cast.editor)
    with translation.override("es"):
        url = reverse("strategy:strategy-list")
    page = client.get(url).content.decode()
    assert "Montevideo international office todavía no tiene estrategia" in page
    services.strategy_create(user=cast.owner, owner=cast.office_a, title="Estrategia")
    assert "todavía no tiene estrategia" not in client.get(url).content.decode()


def test_adopting_without_a_date_records_today(client, cast, strategy):
    from django.utils import timezone

    client.force_login(cast.owner)
    response = client.post(
        reverse("strategy:strategy-edit", args=[strategy.pk]),
        {"title": strategy.title, "status": "adopted", "visibility": "private", "version": strategy.version},
    )
    assert response.status_code == 302
    strategy.refresh_from_db()
    assert (strategy.status, strategy.adopted_on) == (StrategyStatus.ADOPTED, timezone.localdate())


def test_writers_see_the_actions_that_serve_no_objective(client, cast, strategy):
    serving = _project(cast.office_a, "Serving project")
    _project(cast.office_a, "Reactive project")
    objective = strategy.objectives.get()
    services.objective_update(
        user=cast.owner,
        objective=objective,
        expected_version=objective.version,
        changes={},
        projects=[serving],
    )
    client.force_login(cast.editor)
    page = client.get(strategy.get_absolute_url()).content.decode()
    outside = page[page.index("Actions outside the strategy") :]
    assert "Reactive project" in outside and "Serving project" not in outside
    client.force_login(cast.viewer)
    assert "Actions outside the strategy" not in client.get(strategy.get_absolute_url()).content.decode()
