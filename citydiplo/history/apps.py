from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HistoryConfig(AppConfig):
    name = "citydiplo.history"
    label = "history"
    verbose_name = _("Change history")

    def ready(self) -> None:
        from django.db.models.signals import pre_save

        from citydiplo.lib.history import skip_history_while_suspended

        pre_save.connect(skip_history_while_suspended, dispatch_uid="citydiplo-history-suspended")
