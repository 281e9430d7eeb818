"""The forms of the claim wizard, one per step: reason, items, details, photos, review."""
from django import forms
from django.utils.translation import gettext_lazy as _

from rakuten_portal.formatting import money

from .models import Claim
from .photos import (
    MAX_FILES_PER_UPLOAD,
    MultipleImageField,
    UploadRejected,
    process_upload,
)

Reason = Claim.Reason
OtherKind = Claim.OtherKind

# What each reason means, under its radio button.
REASON_HELP = {
    Reason.DAMAGED: _("L'article est arrivé cassé, abîmé, ou il ne fonctionne pas."),
    Reason.DIFFERENT: _("Vous avez reçu un autre article que celui de l'annonce (modèle, couleur, taille, état…)."),
    Reason.COUNTERFEIT: _("Vous pensez que l'article reçu est une contrefaçon."),
    Reason.NOT_RECEIVED: _("Votre colis n'est pas arrivé."),
    Reason.OTHER: _("Surtaxe payée à la livraison, articles manquants ou un autre problème."),
}

# The details step, per reason: the description's label, its help text and whether it is required.
DESCRIPTION_FIELD = {
    Reason.DAMAGED: (_("État de l'article ou panne constatée"),
                     _("Décrivez ce que vous constatez : casse, rayures, ce qui ne fonctionne pas, depuis quand…"), True),
    Reason.DIFFERENT: (_("Différences avec l'annonce"),
                       _("Qu'est-ce qui diffère de l'annonce : modèle, couleur, taille, état, accessoires…"), True),
    Reason.COUNTERFEIT: (_("Différences avec l'original"),
                         _("Ce qui vous fait penser à une contrefaçon : logo, finitions, emballage, numéro de série…"), True),
    Reason.NOT_RECEIVED: (_("Précisions (facultatif)"),
                          _("Par exemple : le suivi indique « livré » mais vous n'avez rien reçu."), False),
    Reason.OTHER: (_("Détails du problème"), _("Expliquez la situation au vendeur le plus précisément possible."), True),
}
DESCRIPTION_MAX_LENGTH = 5000


class ReasonRadioSelect(forms.RadioSelect):
    """Radio buttons where the reasons not allowed yet are shown, disabled."""

    def __init__(self, *args, disabled_values=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.disabled_values = set(disabled_values)

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value in self.disabled_values:
            option["attrs"]["disabled"] = True
        return option


class ReasonForm(forms.Form):
    """Step 1: why the buyer claims; "other" needs its sub-kind."""

    reason = forms.ChoiceField(label=_("Quel est le problème ?"), choices=Reason.choices)
    other_kind = forms.ChoiceField(
        label=_("Précisez la nature du problème"), choices=OtherKind.choices, required=False, widget=forms.RadioSelect,
    )

    def __init__(self, *args, eligibility, **kwargs):
        super().__init__(*args, **kwargs)
        self.eligibility = eligibility
        blocked = [window.reason for window in eligibility.blocked_reasons]
        self.fields["reason"].widget = ReasonRadioSelect(
            choices=Reason.choices, disabled_values=blocked, attrs={"class": "form-check-input"}
        )

    def clean_reason(self):
        reason = self.cleaned_data["reason"]
        if not self.eligibility.allows(reason):
            window = self.eligibility.reasons.get(reason)
            raise forms.ValidationError(window.message if window and window.message else self.eligibility.message)
        return reason

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == Reason.OTHER:
            if not cleaned.get("other_kind"):
                self.add_error("other_kind", _("Précisez la nature du problème."))
        else:
            cleaned["other_kind"] = ""
        return cleaned

    def reason_options(self):
        """Each reason's radio button with its explanation and, when blocked, from when it opens."""
        windows = self.eligibility.reasons
        options = []
        for radio in self["reason"]:
            value = radio.data["value"]
            window = windows.get(value)
            options.append({
                "radio": radio, "help": REASON_HELP.get(value, ""), "is_other": value == Reason.OTHER,
                "blocked_message": window.message if window is not None and not window.allowed else "",
            })
        return options


class LineChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, line):
        return _("%(title)s — quantité %(quantity)s, %(price)s l'unité") % {
            "title": line.title, "quantity": line.quantity, "price": money(line.unit_price),
        }


class ItemsForm(forms.Form):
    """Step 2: which lines of the order the claim is about."""

    items = LineChoiceField(
        label=_("Quels articles sont concernés ?"), queryset=None, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Cochez au moins un article.")},
    )

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = lines
        self.fields["items"].help_text = _("Cochez chaque article qui pose problème.")


class DetailsForm(forms.Form):
    """Step 3: what the wizard asks for the chosen reason (the reference received, the description…)."""

    received_reference = forms.CharField(
        label=_("Référence de l'article reçu"), max_length=80,
        help_text=_("Le modèle, l'EAN ou la référence inscrits sur l'article ou sur son emballage."),
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), max_length=DESCRIPTION_MAX_LENGTH)
    wanted_outcome = forms.ChoiceField(
        label=_("Quelle solution souhaitez-vous ?"), choices=Claim.WantedOutcome.choices, widget=forms.RadioSelect,
        help_text=_("Le vendeur et, s'il intervient, le service client la verront."),
        # "Je ne sais pas" is checked to start with, so an unanswered question says just that.
        required=False, initial=Claim.WantedOutcome.UNSURE,
    )
    sworn_not_received = forms.BooleanField(
        label=_("Je certifie ne pas avoir reçu ce colis"),
        help_text=_("Le transporteur indique que le colis a été livré : votre déclaration sera transmise au vendeur."),
        error_messages={"required": _("Le transporteur indique une livraison : certifiez que vous n'avez pas reçu "
                                      "le colis pour continuer.")},
    )

    def __init__(self, *args, reason, needs_sworn_statement=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.reason = reason
        if reason != Reason.DIFFERENT:
            del self.fields["received_reference"]
        if not needs_sworn_statement:
            del self.fields["sworn_not_received"]
        label, help_text, required = DESCRIPTION_FIELD.get(reason, DESCRIPTION_FIELD[Reason.OTHER])
        description = self.fields["description"]
        description.label, description.help_text, description.required = label, help_text, required
        description.error_messages["required"] = _("Décrivez le problème pour que le vendeur puisse vous répondre.")

    def clean_wanted_outcome(self):
        return self.cleaned_data.get("wanted_outcome") or Claim.WantedOutcome.UNSURE


class PhotosForm(forms.Form):
    """Step 4: photos, checked on arrival; good files are kept even when another one is refused."""

    photos = MultipleImageField(label=_("Ajouter des photos"), required=False)
    remove = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, stored=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.stored = list(stored)
        self.fields["remove"].choices = [(photo["key"], photo["name"]) for photo in self.stored]
        self.fields["photos"].help_text = _(
            "JPEG, PNG ou WebP, 10 Mo au plus par photo, %(max)d photos au maximum."
        ) % {"max": MAX_FILES_PER_UPLOAD}
        self.accepted_uploads = []

    def clean(self):
        cleaned = super().clean()
        uploads = cleaned.get("photos") or []
        kept = len(self.stored) - len(cleaned.get("remove") or [])
        room = max(MAX_FILES_PER_UPLOAD - kept, 0)
        # The raw files are what the wizard keeps between steps; they are processed again on submit.
        for upload in uploads[:room]:
            try:
                process_upload(upload)
            except UploadRejected as refused:
                self.add_error("photos", refused.message)
            else:
                self.accepted_uploads.append(upload)
        for upload in uploads[room:]:
            self.add_error("photos", _("« %(name)s » n'a pas été envoyé : %(max_files)d fichiers au maximum.")
                           % {"name": upload.name, "max_files": MAX_FILES_PER_UPLOAD})
        return cleaned


class ReviewForm(forms.Form):
    """Step 5: nothing to type, the buyer reads the summary and sends."""
