"""Leaks found while building the role matrix, in the registry's services (`_check_links`,
`record_update`, `record_share`, `actor_create`), now fixed and kept here as regressions: a record never
names, to someone who may read it, an actor that person may not read.
"""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from citydiplo.accounts.records import Visibility
from citydiplo.registry import services
from tests.security.world import World


def _get(world: World, principal: str, path: str) -> str:
    token = world.tokens.get(principal)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return Client().get(path, headers=headers).content.decode()


def test_a_record_naming_a_private_actor_cannot_be_shared_with_an_office_that_cannot_read_it(
    world: World,
) -> None:
    """Fixed: record_share checks the record's links against the organisations it is shared with, so
    office B never reads the name of office A's private actor through a shared agreement."""
    agreement = services.agreement_create(
        user=world.cast.editor,
        owner=world.office_a,
        kind="mou",
        parties=[world.montevideo, world.a_actor],
        title="SHARED-A-with-private-party",
        visibility=Visibility.PRIVATE,
    )

    with pytest.raises(ValidationError, match="share PRIVATE-A-actor with them first"):
        services.record_share(user=world.cast.editor, record=agreement, organisations=[world.office_b])

    agreement.refresh_from_db()
    assert agreement.visibility == Visibility.PRIVATE
    assert not agreement.shared_with.exists()
    assert "SHARED-A-with-private-party" not in _get(world, "other_org", "/api/v1/agreements")


def test_sharing_the_actor_first_lets_the_record_be_shared(world: World) -> None:
    agreement = services.agreement_create(
        user=world.cast.editor,
        owner=world.office_a,
        kind="mou",
        parties=[world.montevideo, world.a_actor],
        title="SHARED-A-with-shared-party",
        visibility=Visibility.PRIVATE,
    )
    actor = world.a_actor
    services.record_share(user=world.cast.editor, record=actor, organisations=[world.office_b])
    services.record_share(user=world.cast.editor, record=agreement, organisations=[world.office_b])

    assert "SHARED-A-with-shared-party" in _get(world, "other_org", f"/api/v1/agreements/{agreement.pk}")


def test_an_actor_cannot_name_a_private_parent_in_a_public_record(world: World) -> None:
    with pytest.raises(ValidationError, match="a public record cannot point at it"):
        services.actor_create(
            user=world.cast.editor,
            owner=world.office_a,
            visibility=Visibility.PUBLIC,
            name="Public district",
            kind="municipality",
            country="UY",
            parent=world.a_actor,
        )


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
