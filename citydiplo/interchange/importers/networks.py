"""The network catalogue an import looks networks up in, and the networks `--create-missing` adds.

A file names a network by its key ("c40", "climate-mayors"), its name in any language, its acronym or a
known alias. The catalogue is the registry's reference networks, plus, for an organisation's import,
the networks that organisation recorded itself.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.text import slugify

from citydiplo.accounts.models import Organisation
from citydiplo.registry.models import Actor, ActorKind
from citydiplo.registry.places.normalise import name_key


@dataclass
class PendingNetwork:
    """A network the file names that is not in the catalogue, to be added as a reference fact."""

    key: str
    text: str
    name: str
    first_row: int
    rows: list[int] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return slugify(self.text)[:120] or slugify(self.name)[:120] or "network"


def _keys_of(actor: Actor) -> set[str]:
    texts = {actor.name, actor.slug, actor.acronym}
    texts |= {getattr(actor, f"name_{lang}", "") or "" for lang in ("en", "es", "pt", "fr")}
    texts |= set((actor.other_ids or {}).get("aliases", []))
    if actor.reference_key:
        # "city-networks:c40" or "networks/c40": the last segment is the key files use.
        texts |= {actor.reference_key, actor.reference_key.replace("/", ":").rsplit(":", 1)[-1]}
    return {k for k in (name_key(t) for t in texts if t) if k}


class NetworkCatalogue:
    def __init__(self, *, organisation: Organisation | None) -> None:
        scope = Q(owner__isnull=True)
        if organisation is not None:
            scope |= Q(owner=organisation)
        self.by_key: dict[str, list[Actor]] = defaultdict(list)
        for actor in Actor.objects.filter(kind=ActorKind.NETWORK).filter(scope).order_by("pk"):
            for key in _keys_of(actor):
                self.by_key[key].append(actor)
        self.pending: dict[str, PendingNetwork] = {}

    def find(self, *texts: str) -> list[Actor]:
        """The networks the first of `texts` that names any network names (a key, then a name)."""
        for text in texts:
            found = self.by_key.get(name_key(text), []) if text else []
            if found:
                return found
        return []
