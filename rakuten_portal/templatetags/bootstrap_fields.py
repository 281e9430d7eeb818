"""{% bootstrap_form form %} and {% bootstrap_field form.field %}: Bootstrap 5 markup (the same as crispy-forms'
Bootstrap 5 pack: label, widget, errors, help text, radio lists in a fieldset) built in Python.

crispy renders every field through half a dozen templates, which made the claim page's message and proposal
forms a large part of its cost. Widgets are still Django's own (their aria-describedby and aria-invalid too).
"""
from django import forms, template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from rakuten_portal.widget_html import widget_html

register = template.Library()

_ASTERISK = mark_safe('<span class="asteriskField">*</span>')


def _errors(field) -> str:
    return format_html_join("", '<span id="error_{}_{}" class="invalid-feedback d-block"><strong>{}</strong></span>',
                            ((index, field.auto_id, error) for index, error in enumerate(field.errors, 1)))


def _help(field) -> str:
    if not field.help_text:
        return ""
    return format_html('<div id="{}_helptext" class="form-text">{}</div>', field.auto_id, field.help_text)


def _radios(field, invalid: str) -> str:
    options = []
    for radio in field.subwidgets:
        data = radio.data
        attrs = data["attrs"]
        options.append(format_html(
            '<div class="form-check"><input type="radio" class="form-check-input{}" name="{}" value="{}" id="{}"{}{}>'
            '<label for="{}" class="form-check-label">{}</label></div>',
            invalid, data["name"], data["value"], attrs["id"], mark_safe(" checked") if data["selected"] else "",
            mark_safe(" required") if attrs.get("required") else "", attrs["id"], data["label"]))
    required = field.field.required
    return format_html(
        '<div id="div_{}" class="mb-3"><fieldset><legend class="form-label{} fs-6">{}{}</legend><div>{}</div>{}{}'
        "</fieldset></div>",
        field.auto_id, " requiredField" if required else "", field.label, _ASTERISK if required else "",
        format_html_join("", "{}", ((option,) for option in options)), _errors(field), _help(field))


@register.simple_tag
def bootstrap_field(field) -> str:
    """One visible field in Bootstrap's markup."""
    widget = field.field.widget
    if field.is_hidden:
        return field.as_widget()
    invalid = " is-invalid" if field.errors else ""
    if isinstance(widget, forms.RadioSelect):
        return _radios(field, invalid)
    if isinstance(widget, forms.CheckboxInput):
        return format_html(
            '<div class="mb-3"><div id="div_{}" class="form-check">{}<label for="{}" class="form-check-label">{}'
            "</label>{}{}</div></div>",
            field.auto_id, widget_html(field, attrs={"class": "form-check-input" + invalid}), field.id_for_label,
            field.label, _errors(field), _help(field))
    css = "form-select" if isinstance(widget, forms.Select) else "form-control"
    required = field.field.required
    return format_html(
        '<div id="div_{}" class="mb-3"><label for="{}" class="form-label{}">{}{}</label>{}{}{}</div>',
        field.auto_id, field.id_for_label, " requiredField" if required else "", field.label,
        _ASTERISK if required else "", widget_html(field, attrs={"class": css + invalid}), _errors(field), _help(field))


@register.simple_tag
def bootstrap_form(form) -> str:
    """The form's errors that belong to no field, then every field."""
    errors = ""
    if form.non_field_errors():
        errors = format_html('<div class="alert alert-block alert-danger"><ul class="m-0">{}</ul></div>',
                             format_html_join("", "<li>{}</li>", ((error,) for error in form.non_field_errors())))
    return format_html("{}{}", errors, format_html_join("", "{}", ((bootstrap_field(field),) for field in form)))
