"""The claim wizard ("Faire une réclamation"): reason → items → details → photos → review, on formtools.

formtools keeps each step's data in the session and the raw photos in a private temporary folder
(wizard-tmp/ in the private storage); the claim is only written by claims.domain.claim_open on the
last step, with the token the wizard drew on its first page, so that a second submit finds it.
"""
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import Http404
from django.shortcuts import redirect
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from formtools.wizard.views import SessionWizardView

from orders.selectors import access_order

from .business_days import business_deadline
from .domain import ClaimActionError, claim_open
from .eligibility import claim_eligibility
from .models import Claim
from .photos import process_uploads
from .wizard_forms import DetailsForm, ItemsForm, PhotosForm, ReasonForm, ReviewForm

Reason = Claim.Reason

REASON, ITEMS, DETAILS, PHOTOS, REVIEW = "reason", "items", "details", "photos", "review"
STEP_TITLES = {
    REASON: gettext_lazy("Motif"),
    ITEMS: gettext_lazy("Articles concernés"),
    DETAILS: gettext_lazy("Détails"),
    PHOTOS: gettext_lazy("Photos"),
    REVIEW: gettext_lazy("Vérification et envoi"),
}
# Help-centre article for each reason, shown beside the advice.
REASON_ARTICLES = {
    Reason.DAMAGED: "article-endommage",
    Reason.DIFFERENT: "article-different",
    Reason.COUNTERFEIT: "article-contrefait",
    Reason.NOT_RECEIVED: "colis-non-recu",
    Reason.OTHER: "autre-probleme",
}
TOKEN_FIELD = "submission_token"
TMP_FOLDER = "wizard-tmp"
ABANDONED_AFTER = timedelta(hours=6)


class WizardFileStorage:
    """Where formtools keeps raw uploads between steps: wizard-tmp/ in the private storage, under random names."""

    def save(self, name, content):
        return default_storage.save(f"{TMP_FOLDER}/{uuid.uuid4().hex}", content)

    def open(self, name, mode="rb"):
        return default_storage.open(self._checked(name), mode)

    def delete(self, name):
        default_storage.delete(self._checked(name))

    def exists(self, name):
        return default_storage.exists(self._checked(name))

    @staticmethod
    def _checked(name):
        # Names come from our own session data; anything else is a bug, not a path to follow.
        if not name.startswith(f"{TMP_FOLDER}/") or ".." in name:
            raise ValueError(f"Not a wizard file: {name!r}")
        return name


def purge_abandoned_wizard_files(*, now: datetime, older_than: timedelta = ABANDONED_AFTER) -> int:
    """Delete the wizard's temporary uploads older than the cutoff (abandoned wizards); return how many."""
    cutoff = now - older_than
    try:
        _folders, names = default_storage.listdir(TMP_FOLDER)
    except FileNotFoundError:
        return 0
    deleted = 0
    for name in names:
        path = f"{TMP_FOLDER}/{name}"
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
                deleted += 1
        except FileNotFoundError:
            continue  # a wizard finishing at the same moment removed it first
    return deleted


def _chosen_reason(wizard) -> tuple[str | None, str]:
    data = wizard.get_cleaned_data_for_step(REASON) or {}
    return data.get("reason"), data.get("other_kind", "")


def asks_items(wizard) -> bool:
    """Which items: for damaged, different, not received, and missing items."""
    reason, other_kind = _chosen_reason(wizard)
    if reason is None:
        return True
    if reason == Reason.OTHER:
        return other_kind == Claim.OtherKind.MISSING_ITEMS
    return reason in (Reason.DAMAGED, Reason.DIFFERENT, Reason.NOT_RECEIVED)


def asks_photos(wizard) -> bool:
    """Photos for every reason but "not received": there is nothing to photograph."""
    reason, _other_kind = _chosen_reason(wizard)
    return reason != Reason.NOT_RECEIVED


class ClaimWizardView(SessionWizardView):
    form_list = [(REASON, ReasonForm), (ITEMS, ItemsForm), (DETAILS, DetailsForm), (PHOTOS, PhotosForm),
                 (REVIEW, ReviewForm)]
    condition_dict = {ITEMS: asks_items, PHOTOS: asks_photos}
    file_storage = WizardFileStorage()
    template_name = "claims/wizard/step.html"

    def dispatch(self, request, *args, **kwargs):
        self.now = timezone.now()
        self.order = access_order(request.user, kwargs["number"])
        if self.order.buyer_id != request.user.pk:
            raise Http404
        if request.method == "POST":
            sent = self._claim_already_sent()
            if sent is not None:
                messages.info(request, _("Votre réclamation a déjà été envoyée."))
                return redirect("claims:detail", sent.pk)
        self.eligibility = claim_eligibility(order=self.order, user=request.user, now=self.now)
        if not self.eligibility.allowed:
            messages.error(request, self.eligibility.message)
            return redirect("orders:detail", self.order.number)
        return super().dispatch(request, *args, **kwargs)

    def get_prefix(self, request, *args, **kwargs):
        # One wizard per order: two orders claimed in two tabs do not mix.
        return f"claim_wizard_{self.order.pk}"

    def _claim_already_sent(self):
        try:
            token = uuid.UUID(self.request.POST.get(TOKEN_FIELD, ""))
        except ValueError:
            return None
        return Claim.objects.filter(submission_token=token, buyer=self.request.user).only("pk").first()

    def get(self, request, *args, **kwargs):
        self.storage.reset()
        self.storage.current_step = self.steps.first
        self.storage.extra_data = {"token": uuid.uuid4().hex}
        return self.render(self.get_form())

    def post(self, request, *args, **kwargs):
        token = self.storage.extra_data.get("token")
        if not token or request.POST.get(TOKEN_FIELD) != token:
            messages.warning(request, _(
                "Ce formulaire de réclamation n'est plus à jour (ouvert dans un autre onglet, ou trop ancien) : "
                "rien n'a été enregistré. Recommencez depuis la page de la commande."
            ))
            return redirect("orders:detail", self.order.number)
        self._forget_missing_photos()
        posted_step = request.POST.get(f"{self.prefix}-current_step")
        if posted_step is not None and posted_step not in self.get_form_list():
            # A page kept by the browser for a step the chosen reason no longer asks for.
            messages.warning(request, _("Cette étape ne s'applique plus à votre réclamation : reprenez ici."))
            return super().render_goto_step(self.steps.current)
        return super().post(request, *args, **kwargs)

    # Forms

    def get_form_kwargs(self, step=None):
        if step == REASON:
            return {"eligibility": self.eligibility}
        if step == ITEMS:
            return {"lines": self.order.lines.all()}
        if step == DETAILS:
            reason = _chosen_reason(self)[0] or Reason.OTHER
            window = self.eligibility.reasons.get(reason)
            return {"reason": reason, "needs_sworn_statement": bool(window and window.sworn_statement)}
        if step == PHOTOS:
            return {"stored": self.stored_photos()}
        return {}

    def get_form(self, step=None, data=None, files=None):
        step = step or self.steps.current
        posted = files is self.request.FILES and self.request.method == "POST"
        if step == PHOTOS and not posted:
            # Photos already kept are listed by the form, not re-uploaded into it.
            files = None
        form = super().get_form(step, data, files)
        if step == PHOTOS and posted:
            self._posted_photos_form = form
        return form

    def process_step(self, form):
        if isinstance(form, PhotosForm):
            return {}
        return super().process_step(form)

    def process_step_files(self, form):
        if isinstance(form, PhotosForm):
            self._keep_photos(form)
        return {}

    def render(self, form=None, **kwargs):
        if form is not None and form is getattr(self, "_posted_photos_form", None):
            # The step is shown again with its errors: the good files stay, the bad ones are named.
            self._keep_photos(form)
        return super().render(form, **kwargs)

    def render_goto_step(self, goto_step, **kwargs):
        # Going back keeps what was typed on the page being left, even unfinished.
        current = self.steps.current
        form = self.get_form(current, data=self.request.POST, files=self.request.FILES)
        if isinstance(form, PhotosForm):
            form.is_valid()
            self._keep_photos(form)
        elif current != REASON:
            self.storage.set_step_data(current, self.process_step(form))
        return super().render_goto_step(goto_step, **kwargs)

    def render_done(self, form, **kwargs):
        try:
            return super().render_done(form, **kwargs)
        except FileNotFoundError:
            # A second submit racing the first one: the first has already removed the photos it stored.
            sent = self._claim_already_sent()
            if sent is not None:
                messages.info(self.request, _("Votre réclamation a déjà été envoyée."))
                return redirect("claims:detail", sent.pk)
            self._forget_missing_photos()
            return super().render_goto_step(PHOTOS, **kwargs)

    # Photos kept between steps

    def stored_photos(self) -> list[dict]:
        files = self.storage.data[self.storage.step_files_key].get(PHOTOS, {})
        return [{"key": key, "name": entry["name"], "size": entry["size"]} for key, entry in files.items()]

    def _keep_photos(self, form):
        """Store the accepted new uploads and drop the ones the buyer removed, once per request."""
        if getattr(form, "_photos_kept", False):
            return
        form._photos_kept = True
        files = self.storage.data[self.storage.step_files_key].setdefault(PHOTOS, {})
        removed = (form.cleaned_data.get("remove") or []) if hasattr(form, "cleaned_data") else []
        for key in removed:
            entry = files.pop(key, None)
            if entry is not None:
                self.file_storage.delete(entry["tmp_name"])
        for upload in form.accepted_uploads:
            files[uuid.uuid4().hex] = {
                "tmp_name": self.file_storage.save(upload.name, upload), "name": upload.name,
                "content_type": upload.content_type, "size": upload.size, "charset": None,
            }
        form.stored = self.stored_photos()

    def _forget_missing_photos(self):
        """A wizard left open for hours may find its files purged: list only what is still there."""
        files = self.storage.data[self.storage.step_files_key].get(PHOTOS, {})
        missing = [key for key, entry in files.items() if not self.file_storage.exists(entry["tmp_name"])]
        for key in missing:
            del files[key]
        if missing:
            messages.warning(self.request, _(
                "Certaines photos jointes il y a longtemps ont expiré : ajoutez-les de nouveau si besoin."
            ))

    # Page

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        reason, other_kind = _chosen_reason(self)
        steps = list(self.get_form_list())
        context.update({
            "order": self.order,
            "token": self.storage.extra_data.get("token", ""),
            "token_field": TOKEN_FIELD,
            "step_name": self.steps.current,
            "step_titles": [(step, STEP_TITLES[step]) for step in steps],
            "step_title": STEP_TITLES[self.steps.current],
            "reason": reason,
            "reason_label": Reason(reason).label if reason else "",
            "reason_article": REASON_ARTICLES.get(reason, "faire-une-reclamation"),
            "step_template": f"claims/wizard/step_{self.steps.current}.html",
            "advice_template": f"claims/wizard/advice/{reason}.html" if reason else "",
            "reason_photos_recommended": reason == Reason.DIFFERENT,
            # "Contact the seller first" matters before anything else; other advice waits for the details.
            "advice_on_items": reason == Reason.NOT_RECEIVED,
            "photos": self.stored_photos() if self.steps.current in (PHOTOS, REVIEW) else [],
        })
        if self.steps.current == REVIEW:
            context["summary"] = self._summary(reason, other_kind)
        return context

    def _summary(self, reason, other_kind):
        steps = self.get_form_list()
        items = (self.get_cleaned_data_for_step(ITEMS) or {}).get("items") if ITEMS in steps else None
        details = self.get_cleaned_data_for_step(DETAILS) or {}
        return {
            "other_kind": Claim.OtherKind(other_kind).label if reason == Reason.OTHER and other_kind else "",
            "items": list(items) if items is not None else [],
            "received_reference": details.get("received_reference", ""),
            "description": details.get("description", ""),
            "wanted_outcome": Claim.WantedOutcome(details["wanted_outcome"]).label if details.get("wanted_outcome") else "",
            "deadline": business_deadline(self.now, settings.CLAIM_SELLER_BUSINESS_DAYS),
            "asks_photos": PHOTOS in steps,
        }

    # Submit

    def done(self, form_list, form_dict=None, **kwargs):
        reason_data = form_dict[REASON].cleaned_data
        details = form_dict[DETAILS].cleaned_data
        items = list(form_dict[ITEMS].cleaned_data["items"]) if ITEMS in form_dict else []
        uploads = list((self.storage.get_step_files(PHOTOS) or {}).values()) if PHOTOS in form_dict else []
        # Checked on the photos step already; processed again here to store only re-encoded bytes.
        photos, _refused = process_uploads(uploads)
        try:
            claim = claim_open(
                order=self.order, buyer=self.request.user, reason=reason_data["reason"],
                description=details.get("description", ""), items=items, other_kind=reason_data["other_kind"],
                received_reference=details.get("received_reference", ""), photos=photos,
                wanted_outcome=details.get("wanted_outcome", ""),
                sworn_not_received=details.get("sworn_not_received", False),
                submission_token=uuid.UUID(self.storage.extra_data["token"]), now=self.now,
            )
        except ClaimActionError as error:
            messages.error(self.request, error.message)
            return redirect("orders:detail", self.order.number)
        if claim.opened_at != self.now:
            messages.info(self.request, _("Votre réclamation a déjà été envoyée."))
        else:
            deadline = formats.date_format(timezone.localtime(claim.seller_deadline), "l j F Y")
            messages.success(self.request, _(
                "Votre réclamation a été transmise au vendeur. Il a jusqu'au %(date)s pour vous répondre."
            ) % {"date": deadline})
        return redirect("claims:detail", claim.pk)


claim_wizard_view = login_required(ClaimWizardView.as_view())
