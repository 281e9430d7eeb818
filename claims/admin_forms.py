"""The agents' forms in the admin: decision, internal note, message to the parties. The domain does the acting."""
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from helpdesk import canned
from helpdesk.models import CannedReply
from helpdesk.selectors import canned_replies
from helpdesk.widgets import CannedReplyTextarea
from rakuten_portal.formatting import money

from .models import Claim
from .notifications import recipient_language


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Décision"), choices=Claim.Decision.choices, widget=forms.RadioSelect)
    amount = forms.DecimalField(
        label=_("Montant remboursé (€)"), required=False, min_value=Decimal("0.01"), max_digits=10, decimal_places=2,
        help_text=_("Seulement pour un remboursement partiel."),
    )
    reason = forms.CharField(
        label=_("Motif de la décision"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text=_("L'acheteur et le vendeur liront ce motif."),
        error_messages={"required": _("Écrivez le motif de la décision : les deux parties le liront.")},
    )

    def __init__(self, *args, claim: Claim | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.claim = claim
        if claim is not None:
            self.fields["amount"].max_value = claim.order.total
            self.fields["amount"].help_text = _("Seulement pour un remboursement partiel : au plus %(total)s.") % {
                "total": money(claim.order.total)}

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Écrivez le motif de la décision : les deux parties le liront."))
        return reason

    def clean(self):
        cleaned = super().clean()
        decision, amount = cleaned.get("decision"), cleaned.get("amount")
        if decision == Claim.Decision.REFUND_PARTIAL and amount is None and "amount" not in self.errors:
            self.add_error("amount", _("Indiquez le montant du remboursement partiel."))
        if self.claim is not None and amount is not None and amount > self.claim.order.total:
            self.add_error("amount", _("Le montant ne peut pas dépasser le total de la commande (%(total)s).")
                           % {"total": money(self.claim.order.total)})
        if decision != Claim.Decision.REFUND_PARTIAL:
            cleaned["amount"] = None
        return cleaned


class NoteForm(forms.Form):
    body = forms.CharField(label=_("Note interne"), max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
                           help_text=_("Visible des seuls conseillers : l'acheteur et le vendeur ne la voient jamais."))


class PartiesMessageForm(forms.Form):
    """The agent's message to both parties, with the canned-reply picker; placeholders are filled from the claim."""

    body = forms.CharField(label=_("Message aux parties"), max_length=5000,
                           widget=CannedReplyTextarea(attrs={"rows": 3, "cols": 80}),
                           help_text=_("L'acheteur et le vendeur le liront dans le fil de la réclamation."))

    def __init__(self, *args, claim: Claim | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.claim = claim
        if claim is not None:
            self.language = recipient_language(claim.buyer)
            self.values = canned.claim_values(claim, self.language)
            self.fields["body"].widget.replies = canned.replies_for(
                rows=canned_replies(scope=CannedReply.Scope.CLAIMS), values=self.values, language=self.language)

    def clean_body(self):
        body = self.cleaned_data["body"]
        if self.claim is None:
            canned.check_placeholders(body)
            return body
        return canned.fill(body, self.values)
