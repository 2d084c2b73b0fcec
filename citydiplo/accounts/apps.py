from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "citydiplo.accounts"
    label = "accounts"
    verbose_name = _("Organisations and users")

    def ready(self) -> None:
        from django.contrib import admin

        from citydiplo.accounts.views import admin_login

        # The admin's own log-in form would skip the second log-in step: send it to ours instead.
        admin.site.login = admin_login  # type: ignore[method-assign]
