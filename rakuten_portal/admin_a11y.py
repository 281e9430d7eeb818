"""Accessible names for the admin's tabular inlines.

Django's tabular inline shows each field's label once, as a column header, and leaves the inputs of
each row without a label (axe-core: "Form elements must have labels"). The formset below gives every
input of every row, the "delete" box included, an aria-label: the field's label and the row number.
"""
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext as _


class LabelledInlineFormSet(BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        row = _("nouvelle ligne") if index is None else _("ligne %(number)d") % {"number": index + 1}
        for name, field in form.fields.items():
            if field.widget.is_hidden:
                continue
            label = field.label or name
            field.widget.attrs.setdefault("aria-label", f"{label} ({row})")
