"""Registry pages. Fixed words ("new", "search", "pick") come before `<slug>` so they are never read as
an actor's slug."""

from __future__ import annotations

from django.urls import path

from citydiplo.registry import views

app_name = "registry"
urlpatterns = [
    path("networks/", views.network_list, name="network-list"),
    path("networks/<slug:slug>/", views.network_detail, name="network-detail"),
    path("actors/", views.actor_list, name="actor-list"),
    path("actors/new/", views.actor_create, name="actor-create"),
    path("actors/search/", views.actor_search, name="actor-search"),
    path("actors/pick/", views.actor_pick, name="actor-pick"),
    path("actors/<slug:slug>/", views.actor_detail, name="actor-detail"),
    path("actors/<slug:slug>/edit/", views.actor_edit, name="actor-edit"),
    path("memberships/new/", views.membership_create, name="membership-create"),
    path("agreements/", views.agreement_list, name="agreement-list"),
    path("agreements/new/", views.agreement_create, name="agreement-create"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement-detail"),
    path("agreements/<int:pk>/edit/", views.agreement_edit, name="agreement-edit"),
    path("agreements/<int:pk>/notes/new/", views.agreement_note_create, name="agreement-note-create"),
    path("projects/", views.project_list, name="project-list"),
    path("projects/new/", views.project_create, name="project-create"),
    path("projects/<int:pk>/", views.project_detail, name="project-detail"),
    path("projects/<int:pk>/edit/", views.project_edit, name="project-edit"),
    path("events/", views.event_list, name="event-list"),
    path("events/new/", views.event_create, name="event-create"),
    path("events/<int:pk>/", views.event_detail, name="event-detail"),
    path("events/<int:pk>/edit/", views.event_edit, name="event-edit"),
    path("contacts/", views.contact_list, name="contact-list"),
    path("contacts/new/", views.contact_create, name="contact-create"),
    path("contacts/<int:pk>/", views.contact_detail, name="contact-detail"),
    path("contacts/<int:pk>/edit/", views.contact_edit, name="contact-edit"),
    path("contacts/<int:pk>/export/", views.contact_export, name="contact-export"),
    path("contacts/<int:pk>/erase/", views.contact_erase, name="contact-erase"),
    path("contacts/<int:pk>/retention/", views.contact_retention, name="contact-retention"),
    path("documents/<int:pk>/download/", views.document_download, name="document-download"),
]
