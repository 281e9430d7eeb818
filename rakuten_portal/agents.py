"""Who is a support agent: one permission, held by the group "Service client", checked everywhere.

`is_staff` only opens the admin's door; what an account may do there is its permissions. On the site,
an agent reads every claim, order and help-desk request and writes to the parties as "Service client
Rakuten", so that power needs its own permission, not the staff flag alone. The access selectors,
the claims domain's role check, the help-desk answer and the views ask `is_agent(user)` and nothing else.
"""
from django.db.models import Q

AGENT_PERMISSION_CODENAME = "act_as_agent"
# Declared on helpdesk.ContactRequest (Meta.permissions): the app is the "Service client".
AGENT_PERMISSION = f"helpdesk.{AGENT_PERMISSION_CODENAME}"
AGENT_GROUP = "Service client"

# What the group holds besides the agent permission: reading everything the agents handle, acting on
# claims and requests (through the domain), and editing the help centre.
_GROUP_VIEW_APPS = ("orders", "claims", "helpdesk")
_GROUP_EXTRA = (
    ("claims", "change_claim"),
    ("helpdesk", "change_contactrequest"),
    ("helpdesk", "add_article"), ("helpdesk", "change_article"),
    ("helpdesk", "add_category"), ("helpdesk", "change_category"),
)


def is_agent(user) -> bool:
    """Whether the account works as a support agent on the site: active staff holding the agent permission."""
    return bool(
        user is not None and user.is_authenticated and user.is_active and user.is_staff
        and user.has_perm(AGENT_PERMISSION)
    )


def agent_accounts():
    """The accounts `is_agent` accepts, once each (for the admin's "assigned to" choices)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    User = get_user_model()
    app_label, codename = AGENT_PERMISSION.split(".")
    held = Permission.objects.filter(codename=codename, content_type__app_label=app_label)
    return User.objects.filter(is_active=True, is_staff=True).filter(
        Q(is_superuser=True)
        | Q(pk__in=User.objects.filter(user_permissions__in=held).values("pk"))
        | Q(pk__in=User.objects.filter(groups__permissions__in=held).values("pk"))
    )


def agent_group():
    """The group "Service client" with the agent permission and the admin permissions agents need."""
    from django.contrib.auth.models import Group, Permission

    group, _ = Group.objects.get_or_create(name=AGENT_GROUP)
    wanted = Q(content_type__app_label="helpdesk", codename=AGENT_PERMISSION_CODENAME)
    wanted |= Q(content_type__app_label__in=_GROUP_VIEW_APPS, codename__startswith="view_")
    for app_label, codename in _GROUP_EXTRA:
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    group.permissions.add(*Permission.objects.filter(wanted))
    return group


def ensure_agent_group(sender, using=None, **kwargs):
    """post_migrate (also sent after a flush): the permissions exist, then the group holding them."""
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    for label in _GROUP_VIEW_APPS:
        create_permissions(global_apps.get_app_config(label), verbosity=0, using=using or "default")
    agent_group()
