from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = _("Commandes")

    def ready(self):
        from rakuten_portal import auth_backend, choices_display
        from rakuten_portal.navbar import connect_invalidation

        from . import payout_totals

        connect_invalidation()
        auth_backend.connect_invalidation()
        payout_totals.connect_invalidation()
        choices_display.install()
