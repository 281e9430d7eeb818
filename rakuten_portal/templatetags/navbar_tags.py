"""{% navbar_user_parts as parts %}: the cached per-user fragments of the navbar (rakuten_portal/navbar.py)."""
from django import template

from rakuten_portal.navbar import navbar_parts

register = template.Library()


@register.simple_tag(takes_context=True)
def navbar_user_parts(context):
    return navbar_parts(context)
