"""`{% load portal_format %}`: `{{ amount|money }}` and `{{ user|person_name }}` (rakuten_portal/formatting.py)."""
from django import template

from rakuten_portal import formatting

register = template.Library()


@register.filter
def money(amount):
    return formatting.money(amount)


@register.filter
def person_name(user):
    return formatting.person_name(user)
