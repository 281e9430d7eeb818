from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class HelpdeskConfig(AppConfig):
    name = "helpdesk"
    verbose_name = _("Service client")

    def ready(self):
        from rakuten_portal.agents import ensure_agent_group
        from rakuten_portal.public_pages import connect_invalidation

        checks.register(check_opening_hours)
        # After every migrate and flush, the group "Service client" holds the agent permission.
        post_migrate.connect(ensure_agent_group, sender=self, dispatch_uid="helpdesk.ensure_agent_group")
        # Saving an article or a category forgets the cached public pages.
        connect_invalidation()


def check_opening_hours(app_configs=None, **kwargs):
    """SUPPORT_PHONE_HOURS and CHAT_HOURS must be readable: a typo in the environment fails `check` at start-up."""
    from django.conf import settings

    from .opening_hours import parse_hours

    errors = []
    for name in ("SUPPORT_PHONE_HOURS", "CHAT_HOURS"):
        try:
            parse_hours(getattr(settings, name, ""))
        except ValueError as exc:
            errors.append(checks.Error(str(exc), hint="e.g. 'mon-fri 09:00-19:00; sat 10:00-18:00'",
                                       id="helpdesk.E001", obj=name))
    return errors
