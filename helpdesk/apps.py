from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpdeskConfig(AppConfig):
    name = "helpdesk"
    verbose_name = _("Service client")

    def ready(self):
        from rakuten_portal.public_pages import connect_invalidation

        connect_invalidation()
