"""`get_FOO_display()` without rebuilding the field's choices on every call.

Django's Model._get_FIELD_display builds `dict(make_hashable(field.flatchoices))` each time it is called:
hashing each choice hashes its lazy label, that is one gettext() per choice, for every call. A list of 30
notices, each with its kind (13 choices) and its claim's reason, made about 900 gettext calls per page. Here
the dictionary is built once per field and kept while the field's choices are the same object; the label
found is translated once, in the active language, exactly as Django's own method returns it.
"""
from functools import partialmethod

from django.db.models import Model
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

_django_get_field_display = Model._get_FIELD_display


def _get_field_display(self, field):
    choices = field.choices
    if not isinstance(choices, (list, tuple)):  # callable or iterator choices: Django's own, each time
        return _django_get_field_display(self, field)
    cached = field.__dict__.get("_portal_choices_dict")
    if cached is None or cached[0] is not choices:
        cached = field.__dict__["_portal_choices_dict"] = (choices, dict(make_hashable(field.flatchoices)))
    value = getattr(self, field.attname)
    return force_str(cached[1].get(make_hashable(value), value), strings_only=True)


def install() -> None:
    """Called once from OrdersConfig.ready, once every model is loaded: each field's `get_FOO_display` was bound
    to Django's method when its class was built; those that still are (not a model's own) use this one."""
    from django.apps import apps

    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.get_fields():
            name = f"get_{getattr(field, 'name', '')}_display"
            method = model.__dict__.get(name)
            if isinstance(method, partialmethod) and method.func is _django_get_field_display:
                setattr(model, name, partialmethod(_get_field_display, field=field))
