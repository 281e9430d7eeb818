"""The contact form, the customer's reply, the help-centre search box and the agent's answer in the admin."""
import json

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from claims.photos import MultipleImageField, process_uploads
from orders.numbering import ORDER_PREFIX, number_pattern
from rakuten_portal.widgets import PlainSelect

from . import canned
from .models import CannedReply, ContactRequest
from .selectors import canned_replies, recent_orders_for_contact
from .widgets import CannedReplyTextarea


def order_label(order) -> str:
    """How a buyer picks one of their orders (contact form, chat): number, shop, and the day bought, Paris time."""
    bought = formats.date_format(timezone.localtime(order.purchased_at), "SHORT_DATE_FORMAT")
    return f"{order.number} — {order.seller.display_name} — {bought}"

ATTACHMENTS_HELP = _("Facultatif : photos JPEG, PNG ou WebP, ou PDF, 10 Mo au plus chacun, 10 fichiers au plus.")
KEEP_FIELDS = _("Le reste du formulaire est conservé : sélectionnez de nouveau les fichiers à joindre.")


class AttachmentsMixin:
    """Checks the uploaded files with the claims' pipeline; the accepted ones wait in `processed_files`."""

    processed_files: list = []

    def clean_attachments(self):
        accepted, rejected = process_uploads(self.cleaned_data.get("attachments") or [], allow_pdf=True)
        if rejected:
            raise ValidationError([exc.message for exc in rejected] + [str(KEEP_FIELDS)])
        self.processed_files = accepted
        return self.cleaned_data.get("attachments")


class ContactForm(AttachmentsMixin, forms.Form):
    """A logged-in buyer picks one of their orders; an anonymous visitor gives an e-mail and maybe a number."""

    topic = forms.ChoiceField(label=_("Nature du problème"), choices=[("", "—")] + ContactRequest.Topic.choices,
                              widget=PlainSelect)
    # Up to 50 orders: their options are built in Python, not one template each.
    order = forms.ChoiceField(label=_("Commande concernée"), required=False, widget=PlainSelect)
    order_number = forms.CharField(
        label=_("Numéro de commande"), required=False, max_length=20,
        help_text=_("Facultatif, sous la forme RK-2026-000123."),
    )
    seller_name = forms.CharField(label=_("Nom du vendeur"), required=False, max_length=80)
    email = forms.EmailField(label=_("Votre adresse e-mail"), help_text=_("Nous vous répondrons à cette adresse."))
    message = forms.CharField(
        label=_("Votre message"), min_length=10, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 7}),
    )
    attachments = MultipleImageField(label=_("Pièces jointes"), allow_pdf=True, required=False,
                                     help_text=ATTACHMENTS_HELP)
    # Hidden from people by CSS; robots that fill every field give themselves away.
    website = forms.CharField(label=_("Ne remplissez pas ce champ"), required=False,
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.orders = {}
        if user is not None and user.is_authenticated:
            del self.fields["order_number"]
            self.orders = {order.number: order for order in recent_orders_for_contact(user)}
            order_field = self.fields["order"]
            order_field.choices = [("", _("Aucune commande en particulier"))] + [
                (number, order_label(order)) for number, order in self.orders.items()
            ]
            order_field.help_text = _("Vos 50 dernières commandes ; le vendeur est complété automatiquement.")
            order_field.widget.attrs["data-sellers"] = json.dumps(
                {number: order.seller.display_name for number, order in self.orders.items()}
            )
            if user.email:
                del self.fields["email"]
        else:
            del self.fields["order"]
        # Rendered by {% bootstrap_field %} (helpdesk/contact_form.html), the honeypot in its hidden wrapper.

    def clean_order(self):
        number = self.cleaned_data.get("order") or ""
        return self.orders.get(number)

    def clean_order_number(self):
        number = (self.cleaned_data.get("order_number") or "").strip().upper()
        # Format only: saying whether an order exists would let anyone probe order numbers.
        if number and not number_pattern(ORDER_PREFIX).match(number):
            raise ValidationError(_("Un numéro de commande a la forme RK-2026-000123."))
        return number

    def clean(self):
        cleaned = super().clean()
        order = cleaned.get("order")
        if order is not None:
            cleaned["seller_name"] = order.seller.display_name
        return cleaned

    @property
    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))

    def contact_email(self) -> str:
        return self.cleaned_data.get("email") or self.user.email


class ReplyForm(AttachmentsMixin, forms.Form):
    """The customer writes again on their request."""

    message = forms.CharField(label=_("Votre réponse"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    attachments = MultipleImageField(label=_("Pièces jointes"), allow_pdf=True, required=False,
                                     help_text=ATTACHMENTS_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Rechercher dans l'aide"), max_length=200, required=False)


class ContactRequestAdminForm(forms.ModelForm):
    """Triage fields plus the answer an agent writes, e-mailed to the customer when saved."""

    reply = forms.CharField(
        label=_("Répondre au client"), required=False, max_length=5000, widget=CannedReplyTextarea(attrs={"rows": 6}),
        help_text=_("Envoyé par e-mail au client et gardé sur la demande ; la demande passe « en attente du "
                    "client », ou reste close si vous la fermez."),
    )

    class Meta:
        model = ContactRequest
        fields = ["status", "assigned_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.values = canned.request_values(self.instance, self.instance.language)
            self.fields["reply"].widget.replies = canned.replies_for(
                rows=canned_replies(scope=CannedReply.Scope.REQUESTS), values=self.values, language=self.instance.language)

    def clean_reply(self):
        reply = self.cleaned_data.get("reply", "")
        if not self.instance.pk:
            canned.check_placeholders(reply)
            return reply
        return canned.fill(reply, self.values)

