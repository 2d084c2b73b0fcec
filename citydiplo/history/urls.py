from django.urls import path

from citydiplo.history import views

app_name = "history"
urlpatterns = [
    path("activity/", views.activity, name="activity"),
    path("<slug:app_label>/<slug:model_name>/<int:pk>/", views.record_history, name="record"),
    path("<slug:app_label>/<slug:model_name>/<int:pk>/revert/", views.record_revert, name="revert"),
]
