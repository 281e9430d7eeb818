"""A form field's widget written in Python: what `BoundField.as_widget()` writes through Django's widget templates.

Django renders every widget through its form renderer's templates (input.html and attrs.html, textarea.html,
clearable_file_input.html): about 0.5 ms a field, most of the claim page's proposal form. For those templates,
with Django's own renderer, `widget_html` builds the same string from the same context
(`Widget.get_context`, so the attributes Django adds — required, aria-describedby, aria-invalid — are the
same); any other widget or renderer goes through `as_widget` as before. tests/test_widget_html.py compares
both on every widget of the site's forms, bound and unbound.
"""
from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

_W = "django/forms/widgets/"
# The widget templates that are input.html alone (`{% include "django/forms/widgets/input.html" %}`).
_INPUTS = {f"{_W}{name}.html" for name in (
    "text", "number", "email", "url", "password", "hidden", "checkbox", "date", "datetime", "time", "tel",
    "search", "color", "file")}


def _string(value) -> str:
    """{{ value|stringformat:'s' }}, escaped as the template wrote it."""
    if isinstance(value, tuple):
        value = str(value)
    try:
        text = "%s" % value
    except (ValueError, TypeError):
        text = ""
    return conditional_escape(mark_safe(text) if isinstance(value, SafeData) else text)  # noqa: S308


def _attrs(attrs) -> str:
    """django/forms/widgets/attrs.html."""
    return "".join(
        f" {conditional_escape(name)}" + ("" if value is True else f'="{_string(value)}"')
        for name, value in attrs.items() if value is not False)


def widget_html(field, attrs=None) -> str:
    """`field.as_widget(attrs=attrs)`."""
    widget = field.field.widget
    template_name = widget.template_name
    if not isinstance(field.form.renderer, DjangoTemplates) or not (
            template_name in _INPUTS or template_name in (f"{_W}textarea.html", f"{_W}clearable_file_input.html")):
        return field.as_widget(attrs=attrs)
    # BoundField.as_widget, up to the widget's template.
    if field.field.localize:
        widget.is_localized = True
    built = field.build_widget_attrs(attrs or {}, widget)
    if field.auto_id and "id" not in widget.attrs:
        built.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), built)["widget"]
    if template_name == f"{_W}clearable_file_input.html" and context.get("is_initial"):
        return field.as_widget(attrs=attrs)  # a file already there: its link and clear box, left to the template
    name, value = conditional_escape(context["name"]), context["value"]
    if template_name == f"{_W}textarea.html":
        text = conditional_escape(value) if value else ""
        html = f'<textarea name="{name}"{_attrs(context["attrs"])}>\n{text}</textarea>'
    elif template_name == f"{_W}clearable_file_input.html":
        html = f'<input type="{conditional_escape(context["type"])}" name="{name}"{_attrs(context["attrs"])}>'
    else:
        shown = "" if value is None else f' value="{_string(value)}"'
        html = f'<input type="{conditional_escape(context["type"])}" name="{name}"{shown}{_attrs(context["attrs"])}>'
    return mark_safe(html.strip())  # noqa: S308 — every value above is escaped; the renderer strips its output
