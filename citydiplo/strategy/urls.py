"""Strategy pages, under /strategy/. Fixed words ("new", "start", "sdg") come before `<int:pk>`."""

from __future__ import annotations

from django.urls import path

from citydiplo.strategy import views, wizard

app_name = "strategy"
urlpatterns = [
    path("", views.strategy_list, name="strategy-list"),
    path("new/", views.strategy_create, name="strategy-create"),
    path("start/", wizard.wizard_start, name="wizard"),
    path("start/<int:pk>/objectives/", wizard.wizard_objectives, name="wizard-objectives"),
    path("start/<int:pk>/axes/", wizard.wizard_axes, name="wizard-axes"),
    path("start/<int:pk>/stakeholders/", wizard.wizard_stakeholders, name="wizard-stakeholders"),
    path("start/<int:pk>/done/", wizard.wizard_done, name="wizard-done"),
    path("<int:pk>/", views.strategy_detail, name="strategy-detail"),
    path("<int:pk>/edit/", views.strategy_edit, name="strategy-edit"),
    path("<int:pk>/revise/", views.strategy_revise, name="strategy-revise"),
    path("<int:pk>/versions/<int:number>/", views.version_detail, name="version-detail"),
    path("<int:pk>/documents/new/", views.strategy_document_add, name="document-create"),
    path("<int:pk>/alignment/", views.alignment, name="alignment"),
    path("<int:pk>/objectives/new/", views.objective_create, name="objective-create"),
    path("<int:pk>/consultations/new/", views.consultation_create, name="consultation-create"),
    path("<int:pk>/externalities/new/", views.externality_create, name="externality-create"),
    path("objectives/<int:pk>/", views.objective_detail, name="objective-detail"),
    path("objectives/<int:pk>/edit/", views.objective_edit, name="objective-edit"),
    path("consultations/<int:pk>/", views.consultation_detail, name="consultation-detail"),
    path("consultations/<int:pk>/edit/", views.consultation_edit, name="consultation-edit"),
    path("externalities/<int:pk>/", views.externality_detail, name="externality-detail"),
    path("externalities/<int:pk>/edit/", views.externality_edit, name="externality-edit"),
    path("axes/", views.axis_list, name="axis-list"),
    path("axes/new/", views.axis_create, name="axis-create"),
    path("axes/<int:pk>/", views.axis_detail, name="axis-detail"),
    path("axes/<int:pk>/edit/", views.axis_edit, name="axis-edit"),
    path("stakeholders/", views.stakeholder_list, name="stakeholder-list"),
    path("stakeholders/new/", views.stakeholder_create, name="stakeholder-create"),
    path("stakeholders/<int:pk>/", views.stakeholder_detail, name="stakeholder-detail"),
    path("stakeholders/<int:pk>/edit/", views.stakeholder_edit, name="stakeholder-edit"),
    path("projects/<int:pk>/sdg/", views.project_sdg, name="project-sdg"),
    path("sdg/", views.sdg_goal_list, name="sdg-goal-list"),
    path("sdg/<int:number>/", views.sdg_goal, name="sdg-goal"),
]
