"""{% navbar_user_parts as parts %}: the cached per-user fragments of the navbar (rakuten_portal/navbar.py);
{% language_fragment "partials/footer.html" %}: a partial that shows nothing but texts and links, rendered once
per process and language."""
from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from rakuten_portal.navbar import navbar_parts

register = template.Library()
_fragments: dict = {}


@register.simple_tag(takes_context=True)
def navbar_user_parts(context):
    return navbar_parts(context)


@register.simple_tag
def language_fragment(template_name):
    """The partial as {% include %} renders it, for a partial whose only inputs are the language (its
    {% translate %} texts) and the URL map (its {% url %} links): the same for every request, so kept in the
    process (not in the shared cache: no round trip); with DEBUG, rendered each time so edits show at once."""
    key = (template_name, get_language())
    html = None if settings.DEBUG else _fragments.get(key)
    if html is None:
        html = _fragments[key] = render_to_string(template_name)
    return mark_safe(html)  # noqa: S308 — our own template, rendered
