"""Registry pages: thin views that read through selectors and write through services.

Split by subject: places (networks, actors, memberships, the actor picker), agreements, and activities
(projects, events, contacts, documents).
"""

from citydiplo.registry.views.activities import (
    contact_create,
    contact_detail,
    contact_edit,
    contact_erase,
    contact_export,
    contact_list,
    contact_retention,
    document_download,
    event_create,
    event_detail,
    event_edit,
    event_list,
    project_create,
    project_detail,
    project_edit,
    project_list,
)
from citydiplo.registry.views.agreements import (
    agreement_create,
    agreement_detail,
    agreement_edit,
    agreement_list,
    agreement_note_create,
)
from citydiplo.registry.views.places import (
    actor_create,
    actor_detail,
    actor_edit,
    actor_list,
    actor_pick,
    actor_search,
    membership_create,
    network_detail,
    network_list,
)

__all__ = [
    "actor_create",
    "actor_detail",
    "actor_edit",
    "actor_list",
    "actor_pick",
    "actor_search",
    "agreement_create",
    "agreement_detail",
    "agreement_edit",
    "agreement_list",
    "agreement_note_create",
    "contact_create",
    "contact_detail",
    "contact_edit",
    "contact_erase",
    "contact_export",
    "contact_retention",
    "contact_list",
    "document_download",
    "event_create",
    "event_detail",
    "event_edit",
    "event_list",
    "membership_create",
    "network_detail",
    "network_list",
    "project_create",
    "project_detail",
    "project_edit",
    "project_list",
]
