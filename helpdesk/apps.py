from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class HelpdeskConfig(AppConfig):
    name = "helpdesk"
    verbose_name = _("Service client")

    def ready(self):
        from rakuten_portal.agents import ensure_agent_group
        from rakuten_portal.public_pages import connect_invalidation

        # After every migrate and flush, the group "Service client" holds the agent permission.
        post_migrate.connect(ensure_agent_group, sender=self, dispatch_uid="helpdesk.ensure_agent_group")
        # Saving an article or a category forgets the cached public pages.
        connect_invalidation()
