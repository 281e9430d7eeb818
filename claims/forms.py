"""Forms of the claim page, the seller dashboard and the order messages: input checks only, the domain decides."""
from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from orders.payments import refundable_remainder
from rakuten_portal.formatting import money

from .models import Claim, ClaimMessage, Proposal
from .photos import MultipleImageField

BODY_MAX = 5000


def _textarea(rows: int, placeholder: str = ""):
    return forms.Textarea(attrs={"rows": rows, "maxlength": BODY_MAX, "placeholder": placeholder})


class ClaimMessageForm(forms.Form):
    """A message in the claim's thread, with photos; agents may write an internal note instead."""

    body = forms.CharField(label=_("Votre message"), required=False, max_length=BODY_MAX,
                           widget=_textarea(4, _("Écrivez votre message…")))
    photos = MultipleImageField(label=_("Photos (facultatif)"), required=False,
                                help_text=_("JPEG, PNG ou WebP, 10 Mo au plus par photo."))
    internal = forms.BooleanField(label=_("Note interne : visible uniquement par le service client"), required=False)

    def __init__(self, *args, role: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if role != ClaimMessage.Role.SUPPORT:
            del self.fields["internal"]

    def clean(self):
        cleaned = super().clean()
        body, photos = cleaned.get("body", "").strip(), cleaned.get("photos") or []
        if not body and not photos and "photos" not in self.errors:
            raise forms.ValidationError(_("Écrivez un message ou joignez une photo."))
        if cleaned.get("internal") and photos:
            self.add_error("photos", _("Une note interne ne peut pas avoir de pièce jointe."))
        if cleaned.get("internal") and not body:
            self.add_error("body", _("La note est vide."))
        return cleaned


class ProposalForm(forms.Form):
    """The seller's proposal; which fields count depends on the kind chosen."""

    kind = forms.ChoiceField(label=_("Votre proposition"), widget=forms.RadioSelect)
    amount = forms.DecimalField(label=_("Montant remboursé (€)"), required=False, min_value=Decimal("0.01"),
                                max_digits=10, decimal_places=2)
    carrier = forms.CharField(label=_("Transporteur"), required=False, max_length=60)
    tracking_number = forms.CharField(label=_("Numéro de suivi"), required=False, max_length=60)
    receipt = MultipleImageField(label=_("Justificatif de dépôt (image ou PDF)"), required=False, allow_pdf=True)
    return_address = forms.CharField(
        label=_("Adresse de retour"), required=False, max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
        help_text=_("Retour ou échange : où l'acheteur renvoie l'article. Elle est gardée pour vos prochains retours."))
    return_postage = forms.ChoiceField(label=_("Frais de retour"), required=False, widget=forms.RadioSelect,
                                       initial="seller",
                                       choices=[("seller", _("à ma charge")), ("buyer", _("à la charge de l'acheteur"))])
    message = forms.CharField(label=_("Message à l'acheteur (facultatif)"), required=False, max_length=BODY_MAX,
                              widget=_textarea(3))

    def __init__(self, *args, claim: Claim, **kwargs):
        super().__init__(*args, **kwargs)
        self.claim = claim
        self.fields["return_address"].initial = claim.seller.return_address
        kinds = [(value, label) for value, label in Proposal.Kind.choices
                 if value != Proposal.Kind.SHIPMENT_PROOF or claim.reason == Claim.Reason.NOT_RECEIVED]
        self.fields["kind"].choices = kinds
        # What remains to refund on the order, after earlier refunds (the total when there were none).
        total = refundable_remainder(claim.order)
        shown = money(total)
        self.fields["amount"].max_value = total
        self.fields["amount"].validators.append(MaxValueValidator(
            total, message=_("Le montant ne peut pas dépasser %(total)s, ce qui reste à rembourser sur la "
                             "commande.") % {"total": shown}))
        self.fields["amount"].widget.attrs.update({"max": total, "step": "0.01", "min": "0.01"})
        self.fields["amount"].help_text = _("Rabais uniquement : au plus %(total)s, ce qui reste à rembourser sur "
                                            "la commande.") % {"total": shown}

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == Proposal.Kind.PARTIAL_REFUND and cleaned.get("amount") is None and "amount" not in self.errors:
            self.add_error("amount", _("Indiquez le montant du remboursement partiel."))
        if kind in (Proposal.Kind.RETURN_REFUND, Proposal.Kind.EXCHANGE) and "return_address" not in self.errors:
            # Left empty, the address kept on the seller's profile is used (the domain refuses if there is none).
            if not cleaned.get("return_address", "").strip() and not self.claim.seller.return_address.strip():
                self.add_error("return_address", _("Indiquez l'adresse à laquelle l'acheteur doit renvoyer l'article."))
        if kind == Proposal.Kind.SHIPMENT_PROOF:
            if not cleaned.get("carrier", "").strip():
                self.add_error("carrier", _("Indiquez le transporteur."))
            if not cleaned.get("tracking_number", "").strip():
                self.add_error("tracking_number", _("Indiquez le numéro de suivi."))
            if not cleaned.get("receipt") and "receipt" not in self.errors:
                self.add_error("receipt", _("Joignez le justificatif de dépôt (image ou PDF)."))
        return cleaned


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Pourquoi refusez-vous ? (facultatif)"), required=False, max_length=500)


class WithdrawForm(forms.Form):
    reason = forms.ChoiceField(label=_("Pourquoi annulez-vous votre réclamation ?"),
                               choices=Claim.WithdrawReason.choices, widget=forms.RadioSelect)


class OrderMessageForm(forms.Form):
    body = forms.CharField(label=_("Votre message"), max_length=BODY_MAX, widget=_textarea(3),
                           error_messages={"required": _("Écrivez votre message.")})


class SatisfactionForm(forms.Form):
    """The answer to "Comment s'est passée la résolution ?": satisfied or not, and an optional comment."""

    satisfied = forms.TypedChoiceField(
        label=_("Êtes-vous satisfait de la résolution de votre dossier ?"), widget=forms.RadioSelect,
        choices=[("1", _("Oui, satisfait")), ("0", _("Non, pas satisfait"))], coerce=lambda value: value == "1",
        error_messages={"required": _("Choisissez « satisfait » ou « pas satisfait ».")},
    )
    comment = forms.CharField(label=_("Un commentaire ? (facultatif)"), required=False, max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 4, "maxlength": 1000}),
                              help_text=_("1 000 caractères au plus."))


class SupportReasonForm(forms.Form):
    """Why the buyer calls support early, or why the seller refuses the claim."""

    reason = forms.CharField(label=_("Votre motif"), max_length=BODY_MAX, widget=_textarea(3),
                             error_messages={"required": _("Indiquez votre motif.")})


class AppealForm(forms.Form):
    reason = forms.CharField(label=_("Pourquoi contestez-vous la décision ?"), max_length=BODY_MAX, widget=_textarea(4),
                             error_messages={"required": _("Expliquez pourquoi vous contestez la décision.")})
    photos = MultipleImageField(label=_("Pièces jointes (facultatif)"), required=False, allow_pdf=True,
                                help_text=_("Photos (JPEG, PNG, WebP) ou PDF."))


class ReturnShipmentForm(forms.Form):
    """The return's (or the replacement's) carrier and tracking number; the domain checks them again."""

    carrier = forms.CharField(label=_("Transporteur"), max_length=60,
                              error_messages={"required": _("Indiquez le transporteur.")})
    tracking_number = forms.CharField(label=_("Numéro de suivi"), max_length=60,
                                      error_messages={"required": _("Indiquez le numéro de suivi."),
                                                      "max_length": _("Le numéro de suivi fait au plus 60 caractères.")})
