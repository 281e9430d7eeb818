"""The admin's front page: the desk's counters for the agent reading it."""
from django import template
from django.utils import timezone

from claims.desk import desk_entries

register = template.Library()


@register.simple_tag(takes_context=True)
def desk(context):
    """The desk's lines the current agent may see (claims.desk.COUNTERS)."""
    return desk_entries(user=context["request"].user, now=timezone.now())
