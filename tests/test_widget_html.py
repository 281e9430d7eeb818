"""widget_html writes what BoundField.as_widget writes through Django's widget templates, for every widget kind."""
from decimal import Decimal

import pytest
from django import forms
from django.utils import translation
from django.utils.safestring import mark_safe

from claims.forms import (
    AppealForm,
    ClaimMessageForm,
    DeclineForm,
    OrderMessageForm,
    ProposalForm,
    ReturnShipmentForm,
    SatisfactionForm,
    SupportReasonForm,
    WithdrawForm,
)
from claims.models import ClaimMessage
from helpdesk.forms import ContactForm
from rakuten_portal.widget_html import widget_html
from tests.factories import make_claim


class Everything(forms.Form):
    text = forms.CharField(max_length=20, widget=forms.TextInput(attrs={"placeholder": 'a "b" <c> & d', "data-x": True,
                                                                        "data-off": False, "data-n": 3}))
    optional = forms.CharField(required=False, help_text="aide <b>")
    number = forms.DecimalField(max_digits=6, decimal_places=2, min_value=Decimal("0.01"),
                                widget=forms.NumberInput(attrs={"step": "0.01", "max": Decimal("80.00")}))
    integer = forms.IntegerField(required=False, localize=True)
    email = forms.EmailField()
    url = forms.URLField(required=False)
    password = forms.CharField(widget=forms.PasswordInput(render_value=True), required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    when = forms.DateTimeField(required=False)
    box = forms.BooleanField(required=False)
    needed = forms.BooleanField()
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "placeholder": mark_safe("<i>sûr</i>")}))
    empty_body = forms.CharField(widget=forms.Textarea, required=False, disabled=True)
    file = forms.FileField(required=False)
    files = forms.FileField(required=False, widget=forms.ClearableFileInput(attrs={"accept": "image/*"}))


VALUES = {"text": '<x y="1">&amp;', "optional": "", "number": "12,5", "integer": "1234", "email": "pas une adresse",
          "url": "http://a.example/?q=<1>", "password": "s3cr'et", "hidden": "h\"", "date": "2026-03-01",
          "when": "2026-03-01 10:00", "box": "on", "body": "\nligne 1\n<b>&\n", "empty_body": "x"}


def _forms():
    claim = make_claim()
    yield Everything()
    yield Everything(VALUES)
    yield Everything(initial={"text": "début", "number": Decimal("3.10"), "box": True, "body": "un\ndeux"})
    yield Everything({}, auto_id="field_%s")
    yield Everything(VALUES, prefix="p")
    for role in (ClaimMessage.Role.BUYER, ClaimMessage.Role.SUPPORT):
        yield ClaimMessageForm(role=role)
        yield ClaimMessageForm({"body": "<b>", "internal": "on"}, role=role)
    yield ProposalForm(claim=claim)
    yield ProposalForm({"kind": "partial_refund", "amount": "999", "carrier": "<La Poste>", "message": "m"},
                       claim=claim)
    for form_class in (AppealForm, DeclineForm, OrderMessageForm, ReturnShipmentForm, SatisfactionForm,
                       SupportReasonForm, WithdrawForm, ContactForm):
        yield form_class()
        yield form_class({"reason": "x" * 6000, "carrier": "", "tracking_number": "<1>", "body": "",
                          "email": "a@", "message": "court"})


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_widget_is_what_its_template_wrote(language):
    compared = set()
    with translation.override(language):
        for form in _forms():
            for field in form:
                for attrs in (None, {"class": "form-control"}, {"class": "form-control is-invalid"}):
                    assert widget_html(field, attrs=attrs) == field.as_widget(attrs=attrs), (type(form), field.name)
                compared.add(field.field.widget.template_name)
    assert {"django/forms/widgets/text.html", "django/forms/widgets/textarea.html",
            "django/forms/widgets/number.html", "django/forms/widgets/checkbox.html",
            "django/forms/widgets/clearable_file_input.html", "django/forms/widgets/hidden.html"} <= compared


def test_the_templates_are_not_used_for_the_widgets_written_in_python(monkeypatch):
    from django.forms.boundfield import BoundField

    form = Everything(VALUES)
    expected = {name: form[name].as_widget() for name in ("text", "number", "box", "body", "files", "hidden")}

    def refused(*args, **kwargs):
        raise AssertionError("as_widget called")

    monkeypatch.setattr(BoundField, "as_widget", refused)
    for name, html in expected.items():
        assert widget_html(form[name]) == html
