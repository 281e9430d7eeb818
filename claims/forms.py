"""Forms of the claim page, the seller dashboard and the order messages: input checks only, the domain decides."""
from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

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
    message = forms.CharField(label=_("Message à l'acheteur (facultatif)"), required=False, max_length=BODY_MAX,
                              widget=_textarea(3))

    def __init__(self, *args, claim: Claim, **kwargs):
        super().__init__(*args, **kwargs)
        self.claim = claim
        kinds = [(value, label) for value, label in Proposal.Kind.choices
                 if value != Proposal.Kind.SHIPMENT_PROOF or claim.reason == Claim.Reason.NOT_RECEIVED]
        self.fields["kind"].choices = kinds
        total = claim.order.total
        self.fields["amount"].max_value = total
        self.fields["amount"].validators.append(MaxValueValidator(
            total, message=_("Le montant ne peut pas dépasser %(total)s, le total de la commande.") % {"total": money(total)}))
        self.fields["amount"].widget.attrs.update({"max": total, "step": "0.01", "min": "0.01"})
        self.fields["amount"].help_text = _("Rabais uniquement : au plus %(total)s, le total de la commande.") % {
            "total": money(total)}

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == Proposal.Kind.PARTIAL_REFUND and cleaned.get("amount") is None and "amount" not in self.errors:
            self.add_error("amount", _("Indiquez le montant du remboursement partiel."))
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
