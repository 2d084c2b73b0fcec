from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from citydiplo.api import api
from citydiplo.portal.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page says; answer from the app's own static files.
    path("favicon.ico", RedirectView.as_view(url=static("favicon.svg"), permanent=True)),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
urlpatterns += i18n_patterns(
    path("", include("citydiplo.portal.urls")),
    path("accounts/", include("citydiplo.accounts.urls")),
    path("registry/", include("citydiplo.registry.urls")),
    path("imports/", include("citydiplo.interchange.urls")),
    path("places/", include("citydiplo.registry.resolution.urls")),
    path("history/", include("citydiplo.history.urls")),
    path("strategy/", include("citydiplo.strategy.urls")),
    path("indicators/", include("citydiplo.indicators.urls")),
    path("analysis/", include("citydiplo.analysis.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)
# Uploaded documents are never served as static files: they are private records, streamed by a view
# that checks visibility (registry:document-download).
