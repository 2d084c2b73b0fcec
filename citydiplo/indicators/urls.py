from django.urls import path

from citydiplo.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.home, name="home"),
    path("o/<slug:slug>/", views.organisation_dashboard, name="organisation-dashboard"),
    path("o/<slug:slug>/export/", views.export, name="export"),
    path("new/", views.indicator_create, name="indicator-create"),
    path("starter-sets/", views.starter_sets, name="starter-sets"),
    path("import/", views.import_observations, name="import"),
    path("<int:pk>/", views.indicator_detail, name="indicator-detail"),
    path("<int:pk>/edit/", views.indicator_edit, name="indicator-edit"),
    path("<int:pk>/delete/", views.indicator_delete, name="indicator-delete"),
    path("<int:pk>/points/", views.point_set, name="point-set"),
    path("<int:pk>/values/new/", views.observation_add, name="observation-add"),
    path("<int:pk>/values/approve-submitted/", views.approve_submitted, name="approve-submitted"),
    path("targets/<int:pk>/delete/", views.target_delete, name="target-delete"),
    path("values/<int:pk>/review/", views.observation_review, name="observation-review"),
    path("values/<int:pk>/evidence/", views.observation_evidence, name="observation-evidence"),
]
