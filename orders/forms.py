"""Forms for the agents' order screens: lines filled from their listing, rules that span several rows."""
from decimal import Decimal

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from rakuten_portal.admin_a11y import LabelledInlineFormSet

from .models import (
    DUPLICATE_FINALIZED,
    DUPLICATE_FINALIZED_MESSAGE,
    OrderLine,
    TrackingEvent,
    wallet_above_total_message,
)


class OrderLineAdminForm(forms.ModelForm):
    """A line whose title and unit price default to the listing's, as when the buyer ordered."""

    class Meta:
        model = OrderLine
        fields = ["listing", "title", "quantity", "unit_price"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["unit_price"].required = False

    def clean(self):
        cleaned = super().clean()
        listing = cleaned.get("listing")
        if listing is not None:
            if not cleaned.get("title"):
                cleaned["title"] = listing.title
            if cleaned.get("unit_price") is None:
                cleaned["unit_price"] = listing.price
        return cleaned


class OrderLineInlineFormSet(LabelledInlineFormSet):
    """Every line of an order sells one of the order's seller's listings."""

    def clean(self):
        super().clean()
        seller_id = self.instance.seller_id
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            listing = form.cleaned_data.get("listing")
            if listing is not None and seller_id and listing.seller_id != seller_id:
                form.add_error("listing", _("Cette annonce n'appartient pas au vendeur de la commande."))
        total = sum(
            (form.cleaned_data["quantity"] * form.cleaned_data["unit_price"] for form in self.forms
             if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
             and form.cleaned_data.get("quantity") and form.cleaned_data.get("unit_price") is not None),
            Decimal("0"),
        )
        # The order's total is recomputed from these lines on save, so the wallet part is checked against it here.
        if self.instance.wallet_amount and self.instance.wallet_amount > total:
            raise ValidationError(wallet_above_total_message(total))


class TrackingEventInlineFormSet(LabelledInlineFormSet):
    """An order is finalized once: one "finalized" step at most."""

    def clean(self):
        super().clean()
        finalized = [
            form for form in self.forms
            if hasattr(form, "cleaned_data") and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("kind") == TrackingEvent.Kind.FINALIZED
        ]
        for form in finalized[1:]:
            # The step already stored was caught by the model's constraint, with the same message.
            if not form.has_error(NON_FIELD_ERRORS, code=DUPLICATE_FINALIZED):
                form.add_error("kind", DUPLICATE_FINALIZED_MESSAGE)
