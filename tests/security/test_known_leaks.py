"""Leaks found while building the role matrix, in the registry's services (`_check_links`,
`record_update`, `record_share`). The edit case is fixed and tested here as a regression.

Each is a strict expected failure: the day the services refuse these links, the test passes, strict xfail
turns that into a failure, and whoever fixed it deletes the marker. Until then the matrix's world avoids
the two situations, so its own probes stay meaningful.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from citydiplo.accounts.records import Visibility
from citydiplo.registry import services
from tests.security.world import World


def _get(world: World, principal: str, path: str) -> str:
    token = world.tokens.get(principal)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return Client().get(path, headers=headers).content.decode()


@pytest.mark.xfail(
    strict=True,
    reason="services._check_links lets a shared record name the owner's private actors, and record_share "
    "does not check them: the organisations it is shared with read the private actor's name",
)
def test_office_b_does_not_read_a_private_actor_of_a_through_a_shared_agreement(world: World) -> None:
    agreement = services.agreement_create(
        user=world.cast.editor,
        owner=world.office_a,
        kind="mou",
        parties=[world.montevideo, world.a_actor],
        title="SHARED-A-with-private-party",
        visibility=Visibility.PRIVATE,
    )
    services.record_share(user=world.cast.editor, record=agreement, organisations=[world.office_b])

    seen_by_b = _get(world, "other_org", f"/api/v1/agreements/{agreement.pk}")

    assert "SHARED-A-with-private-party" in seen_by_b
    assert "PRIVATE-A-actor" not in seen_by_b


def test_an_edit_cannot_point_a_public_event_at_a_private_actor(world: World) -> None:
    """Fixed: record_update re-runs the link check, so the edit is refused (422) and nothing leaks."""
    event = world.public_event
    response = Client().generic(
        "PATCH",
        f"/api/v1/events/{event.pk}",
        json.dumps({"version": event.version, "place": world.a_actor.slug}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {world.tokens['editor']}"},
    )

    assert response.status_code == 422
    assert "PRIVATE-A-actor" not in _get(world, "anonymous", f"/api/v1/events/{event.pk}")
