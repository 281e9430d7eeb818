"""Claim pages: the claim (one URL for buyer, seller and agent), its actions, its attachments, the notifications.

Every action loads the claim through access_claim (404 for non-parties), checks its form and calls
claims.domain, which alone decides whether the act still applies.
"""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.backends.utils import csrf_input
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import ListView, TemplateView

from orders.models import Refund
from orders.payments import refund_destinations
from rakuten_portal.dates import date_text
from rakuten_portal.navbar import cached_unread
from rakuten_portal.paths import row_path
from rakuten_portal.private_files import file_csp, serve_attachment, serve_thumbnail
from rakuten_portal.request_ids import parse_id

from . import appeals, domain, returns, satisfaction
from .dashboard import SellerDashboardView, SellerOrderMessagesView, order_message_post  # noqa: F401 — URL map
from .forms import (
    AppealForm,
    ClaimMessageForm,
    DeclineForm,
    ProposalForm,
    ReturnShipmentForm,
    SatisfactionForm,
    SupportReasonForm,
    WithdrawForm,
)
from .models import Appeal, ClaimMessage, Notification, Proposal, Return
from .notifications import claim_notices_mark_read, mark_read, notification_link
from .photos import process_uploads
from .selectors import (
    access_claim,
    attachment_visible_to,
    claim_next_step,
    claims_of_buyer,
    claim_page_rows,
)
from .templatetags.claim_tags import deadline_of

TEMPLATE = "claims/claim_detail.html"


def claim_page_context(request, claim, *, message_form=None, proposal_form=None, support_form=None,
                       refuse_form=None, appeal_form=None, return_form=None) -> dict:
    """Everything the claim page shows, with the forms of the actions this user may take now."""
    user, now = request.user, timezone.now()
    role = domain.role_of(claim, user)
    rows = claim_page_rows(claim, user)  # one query for the steps, proposals, thread, files and items
    proposals, thread = rows["proposals"], rows["thread"]
    for proposal in proposals:
        proposal.proposed_label = _("Proposée le %(date)s") % {
            "date": formats.date_format(timezone.localtime(proposal.created_at), "DATETIME_FORMAT")}
    pending = next((proposal for proposal in proposals if proposal.is_pending), None)
    accepted = next((proposal for proposal in proposals if proposal.status == Proposal.Status.ACCEPTED), None)
    is_buyer, is_seller = role == ClaimMessage.Role.BUYER, role == ClaimMessage.Role.SELLER
    can = {
        "message": claim.is_open,
        "accept": is_buyer and claim.is_with_seller and pending is not None,
        "withdraw": is_buyer and claim.is_open,
        "propose": is_seller and claim.is_with_seller,
        "extend": is_seller and claim.may_extend and now <= claim.seller_deadline,
        "ask_support": is_buyer and claim.is_with_seller and appeals.may_ask_support(claim, proposals),
        "refuse": is_seller and claim.is_with_seller,
        "appeal": (is_buyer or is_seller) and appeals.may_appeal(claim, now),
    }
    # Only a claim past an accepted return or exchange has a return; one still with the seller has no refund.
    has_return = claim.is_returning or claim.is_return_lapsed or (accepted is not None and accepted.needs_return)
    item_return = Return.objects.filter(claim=claim).select_related("proposal").first() if has_return else None
    if item_return is not None and claim.is_returning:
        shipped, received = item_return.shipped_at is not None, item_return.received_at is not None
        can["return_ship"] = is_buyer and not shipped
        can["return_receive"] = (is_seller or role == ClaimMessage.Role.SUPPORT) and shipped and not received
        can["replacement"] = is_seller and received and item_return.is_exchange
    refund_choices = []
    if can["accept"] and (pending.kind in domain.REFUND_PROPOSALS or pending.kind == Proposal.Kind.RETURN_REFUND):
        labels = {Refund.Destination.CARD: _("Sur mon moyen de paiement d'origine (sous %(days)s jours ouvrés)")
                  % {"days": settings.REFUND_CARD_BUSINESS_DAYS},
                  Refund.Destination.WALLET: _("Sur mon porte-monnaie Rakuten (immédiat)")}
        refund_choices = [(value, labels[value]) for value in refund_destinations(claim.order, pending.amount)]
    return {
        "claim": claim,
        "refunds": [] if claim.is_with_seller else list(claim.refunds.all()),
        "refund_choices": refund_choices,
        "appeal": Appeal.objects.filter(claim=claim).first() if claim.is_appealed else None,
        "appeal_until": appeals.appeal_deadline(claim),
        "item_return": item_return,
        # Each form built only when the page shows it (the templates test the same `can` entries).
        "return_form": return_form or (ReturnShipmentForm() if can.get("return_ship") or can.get("replacement")
                                       else None),
        "support_form": support_form or (SupportReasonForm() if can["ask_support"] else None),
        "refuse_form": refuse_form or (SupportReasonForm() if can["refuse"] else None),
        "appeal_form": appeal_form or (AppealForm() if can["appeal"] else None),
        "order": claim.order,
        "role": role,
        "is_buyer": is_buyer,
        "is_seller": is_seller,
        "is_staff_viewer": role == ClaimMessage.Role.SUPPORT,
        "can": can,
        "deadline": deadline_of(claim, now),
        "events": rows["events"],
        "thread": thread,
        "proposals": proposals,
        "pending_proposal": pending,
        "accepted_proposal": accepted,
        "opening_photos": rows["opening_photos"],
        "items": rows["items"],
        "message_form": message_form or (ClaimMessageForm(role=role) if can["message"] else None),
        "proposal_form": proposal_form or (ProposalForm(claim=claim) if can["propose"] else None),
        "decline_form": DeclineForm() if can["accept"] else None,
        "withdraw_form": WithdrawForm() if can["withdraw"] else None,
    }


class ClaimDetailView(LoginRequiredMixin, TemplateView):
    template_name = TEMPLATE

    def get_context_data(self, **kwargs):
        claim = access_claim(self.request.user, self.kwargs["pk"])
        # Opening the claim is reading its notices.
        if cached_unread(self.request.user) != 0:  # none unread at all: no UPDATE to run on every view
            claim_notices_mark_read(user=self.request.user, claim=claim, now=timezone.now())
        return {**super().get_context_data(**kwargs), **claim_page_context(self.request, claim)}


def _back(claim):
    return redirect("claims:detail", pk=claim.pk)


def _refused(request, claim, error):
    """The act no longer applies: say why, change nothing, back to the claim."""
    messages.error(request, error.message)
    return _back(claim)


def _act(request, claim, success, act, **arguments):
    """Run one domain act now: refused, say why and change nothing; done, say `success`. Back to the claim."""
    try:
        act(**arguments, now=timezone.now())
    except domain.ClaimActionError as error:
        return _refused(request, claim, error)
    messages.success(request, success)
    return _back(claim)


def _form_errors(request, claim, **forms):
    """Show the page again with what was typed, so nothing is lost."""
    messages.error(request, _("Rien n'a été envoyé : corrigez les erreurs signalées ci-dessous."))
    return render(request, TEMPLATE, claim_page_context(request, claim, **forms))


def _uploads(form, field: str, *, allow_pdf: bool = False):
    """Processed files, or None after adding one form error per refused file."""
    accepted, rejected = process_uploads(form.cleaned_data.get(field) or [], allow_pdf=allow_pdf)
    for refusal in rejected:
        form.add_error(field, refusal.message)
    return None if rejected else accepted


@login_required
@require_POST
def claim_message_post(request, pk):
    claim = access_claim(request.user, pk)
    role = domain.role_of(claim, request.user)
    form = ClaimMessageForm(request.POST, request.FILES, role=role)
    if not form.is_valid():
        return _form_errors(request, claim, message_form=form)
    photos = _uploads(form, "photos")
    if photos is None:
        return _form_errors(request, claim, message_form=form)
    try:
        if form.cleaned_data.get("internal"):
            domain.claim_add_note(claim_id=claim.pk, agent=request.user, body=form.cleaned_data["body"],
                                  now=timezone.now())
            messages.success(request, _("Note interne ajoutée."))
        else:
            domain.claim_post_message(claim_id=claim.pk, author=request.user, body=form.cleaned_data["body"],
                                      attachments=photos, now=timezone.now())
            messages.success(request, _("Votre message a été envoyé."))
    except domain.ClaimActionError as error:
        return _refused(request, claim, error)
    return redirect(reverse("claims:detail", args=[claim.pk]) + "#fil")


@login_required
@require_POST
def claim_propose_post(request, pk):
    claim = access_claim(request.user, pk)
    form = ProposalForm(request.POST, request.FILES, claim=claim)
    if not form.is_valid():
        return _form_errors(request, claim, proposal_form=form)
    receipt = _uploads(form, "receipt", allow_pdf=True)
    if receipt is None:
        return _form_errors(request, claim, proposal_form=form)
    data = form.cleaned_data
    return _act(request, claim, _("Votre proposition a été envoyée à l'acheteur."),
                domain.claim_propose, claim_id=claim.pk, seller_user=request.user, kind=data["kind"],
                amount=data.get("amount"), carrier=data.get("carrier", ""),
                tracking_number=data.get("tracking_number", ""), message=data.get("message", ""), receipt=receipt,
                return_address=data.get("return_address", ""), return_postage=data.get("return_postage", ""))


@login_required
@require_POST
def claim_accept_post(request, pk, proposal_pk):
    claim = access_claim(request.user, pk)
    try:
        accepted = domain.claim_accept(claim_id=claim.pk, proposal_id=proposal_pk, buyer=request.user,
                                       now=timezone.now(), refund_to=request.POST.get("refund_to") or None)
    except domain.ClaimActionError as error:
        return _refused(request, claim, error)
    if accepted.is_returning:
        messages.success(request, _("Vous avez accepté la proposition : renvoyez l'article à l'adresse indiquée, "
                                    "puis indiquez son numéro de suivi."))
    else:
        messages.success(request, _("Vous avez accepté la proposition : la réclamation est résolue."))
    return _back(claim)


@login_required
@require_POST
def claim_decline_post(request, pk, proposal_pk):
    claim = access_claim(request.user, pk)
    form = DeclineForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(request, claim, _("Vous avez refusé la proposition. Le vendeur en est informé."),
                domain.claim_decline, claim_id=claim.pk, proposal_id=proposal_pk, buyer=request.user, reason=reason)


@login_required
@require_POST
def claim_withdraw_post(request, pk):
    claim = access_claim(request.user, pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez la raison de l'annulation."))
        return _back(claim)
    return _act(request, claim, _("Votre réclamation est annulée. Le vendeur en est informé."),
                domain.claim_withdraw, claim_id=claim.pk, buyer=request.user, reason=form.cleaned_data["reason"])


@login_required
@require_POST
def claim_extend_post(request, pk):
    claim = access_claim(request.user, pk)
    return _act(request, claim, _("Le délai est prolongé. L'acheteur en est informé."),
                domain.claim_request_extension, claim_id=claim.pk, seller_user=request.user)


@login_required
@require_POST
def claim_ask_support_post(request, pk):
    claim = access_claim(request.user, pk)
    form = SupportReasonForm(request.POST)
    if not form.is_valid():
        return _form_errors(request, claim, support_form=form)
    return _act(request, claim, _("Le service client Rakuten prend le relais. Le vendeur en est informé."),
                appeals.claim_ask_support, claim_id=claim.pk, buyer=request.user, reason=form.cleaned_data["reason"])


@login_required
@require_POST
def claim_refuse_post(request, pk):
    claim = access_claim(request.user, pk)
    form = SupportReasonForm(request.POST)
    if not form.is_valid():
        return _form_errors(request, claim, refuse_form=form)
    return _act(request, claim, _("Vous avez refusé la réclamation : le service client Rakuten la prend en charge."),
                appeals.claim_seller_refuse, claim_id=claim.pk, seller_user=request.user,
                reason=form.cleaned_data["reason"])


@login_required
@require_POST
def claim_appeal_post(request, pk):
    claim = access_claim(request.user, pk)
    form = AppealForm(request.POST, request.FILES)
    if not form.is_valid():
        return _form_errors(request, claim, appeal_form=form)
    files = _uploads(form, "photos", allow_pdf=True)
    if files is None:
        return _form_errors(request, claim, appeal_form=form)
    return _act(request, claim, _("Votre contestation est enregistrée : un autre conseiller réexamine le dossier."),
                appeals.claim_appeal, claim_id=claim.pk, user=request.user, reason=form.cleaned_data["reason"],
                attachments=files)


@login_required
@require_POST
def claim_return_ship_post(request, pk):
    claim = access_claim(request.user, pk)
    form = ReturnShipmentForm(request.POST)
    if not form.is_valid():
        return _form_errors(request, claim, return_form=form)
    return _act(request, claim, _("Merci : le vendeur est prévenu de l'envoi du retour."),
                returns.return_ship, claim_id=claim.pk, buyer=request.user, carrier=form.cleaned_data["carrier"],
                tracking_number=form.cleaned_data["tracking_number"])


@login_required
@require_POST
def claim_return_receive_post(request, pk):
    claim = access_claim(request.user, pk)
    return _act(request, claim, _("Réception du retour confirmée. L'acheteur en est informé."),
                returns.return_confirm_receipt, claim_id=claim.pk, user=request.user)


@login_required
@require_POST
def claim_replacement_post(request, pk):
    claim = access_claim(request.user, pk)
    form = ReturnShipmentForm(request.POST)
    if not form.is_valid():
        return _form_errors(request, claim, return_form=form)
    return _act(request, claim, _("Envoi du remplacement enregistré : la réclamation est résolue."),
                returns.return_ship_replacement, claim_id=claim.pk, seller_user=request.user,
                carrier=form.cleaned_data["carrier"], tracking_number=form.cleaned_data["tracking_number"])


@login_required
@file_csp
def attachment_file(request, pk):
    """The full image (inline) or the PDF (download), to the claim's parties and staff only."""
    return serve_attachment(attachment_visible_to(request.user, pk))


@login_required
@file_csp
def attachment_thumbnail(request, pk):
    """The small image shown in the thread; PDFs have none."""
    return serve_thumbnail(attachment_visible_to(request.user, pk))


class MyClaimsView(LoginRequiredMixin, ListView):
    """Mes réclamations: the buyer's claims, newest first, each with its next step and a badge when it is theirs."""

    template_name = "claims/my_claims.html"
    context_object_name = "claims"
    paginate_by = 30

    def get_queryset(self):
        return claims_of_buyer(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now, claim_path = timezone.now(), row_path("claims:detail")
        for claim in context["claims"]:
            claim.next_step = step = claim_next_step(claim, now)
            # Formatted once here, not a {% url %}, a date filter and a translation block per row.
            claim.row_url = claim_path(claim.pk)
            claim.opened_text = date_text(timezone.localtime(claim.opened_at), "DATE_FORMAT")
            if step["at"]:
                step["before"] = _("avant le %(date)s") % {
                    "date": date_text(timezone.localtime(step["at"]), "DATE_FORMAT")}
        return context


class NotificationListView(LoginRequiredMixin, ListView):
    """The user's notices, newest first; opening the list leaves them unread (a claim page reads its own)."""

    template_name = "claims/notification_list.html"
    context_object_name = "notifications"
    paginate_by = 30

    def get_queryset(self):
        # Only what a row shows: its kind, dates, and the claim's reason and order number or the order's.
        return (Notification.objects.filter(recipient=self.request.user)
                .select_related("claim__order", "order")
                .only("kind", "created_at", "read_at", "claim__reason", "claim__order__number", "order__number")
                .order_by("-created_at", "-id"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Once per page, not a {% csrf_token %} and a {% url %} per unread notice: the same markup.
        context.update(csrf_input=csrf_input(self.request), read_url=reverse("claims:notifications_read"))
        new_label = mark_safe(_("Nouveau"))  # noqa: S308 — our catalogue's text, as {% translate %} wrote it
        # notification_link's paths, each reversed once for the page.
        claim_path, order_path = row_path("claims:detail"), row_path("orders:detail")
        for notification in context["notifications"]:
            if notification.claim_id:
                notification.link = claim_path(notification.claim_id)
            elif notification.order_id:
                notification.link = order_path(notification.order.number)
            else:
                notification.link = notification_link(notification)
            # Formatted once here rather than in a translation block for each row of the template.
            if notification.claim_id:
                notification.about = _("Commande %(number)s — %(reason)s") % {
                    "number": notification.claim.order.number, "reason": notification.claim.get_reason_display()}
            elif notification.order_id:
                notification.about = _("Commande %(number)s") % {"number": notification.order.number}
            else:
                notification.about = ""
            notification.item_html = _notification_item(notification, new_label)
        return context


def _notification_item(notification, new_label) -> str:
    """What claims/_notification_item.html wrote for one notice (its leading and final newlines included)."""
    unread = not notification.read_at
    return format_html(
        '\n<div class="d-flex justify-content-between align-items-start gap-2 w-100 text-start">\n'
        '  <div>\n'
        '    <div class="{}">{}</div>\n'
        '    <div class="small text-muted">\n'
        '      {}\n'
        '    </div>\n'
        '  </div>\n'
        '  <div class="text-end small text-nowrap">\n'
        '    {}\n'
        '    <span class="text-muted">{}</span>\n'
        '  </div>\n'
        '</div>\n',
        "fw-semibold" if unread else "", notification.get_kind_display(), notification.about,
        format_html('<span class="badge text-bg-danger">{}</span><br>', new_label) if unread else "",
        date_text(timezone.localtime(notification.created_at), "DATETIME_FORMAT"),
    )


@login_required
@require_POST
def notifications_mark_read(request):
    """Mark all the user's notices read; or, given one, mark it read and open what it is about."""
    posted = request.POST.get("notification", "")
    if posted:
        notification_id = parse_id(posted)
        notification = notification_id and Notification.objects.filter(recipient=request.user,
                                                                        pk=notification_id).first()
        if notification is None:
            raise Http404
        mark_read(user=request.user, now=timezone.now(), notification_ids=[notification.pk])
        return redirect(notification_link(notification))
    count = mark_read(user=request.user, now=timezone.now())
    if count:
        messages.success(request, _("Toutes vos notifications sont marquées comme lues."))
    return redirect("claims:notifications")


# A link that is not ours is "not found" (with its own clear page), like any unknown address.
SURVEY_LINK_STATUS = {"invalid": 404, "expired": 410, "answered": 200}


def satisfaction_answer(request, token):
    """The satisfaction question's signed link: no login, answered once; a bad, old or used link says so."""
    try:
        survey = satisfaction.survey_from_token(token)
    except satisfaction.SurveyLinkError as error:
        return render(request, "claims/satisfaction.html", {"link_error": error.kind},
                      status=SURVEY_LINK_STATUS[error.kind])
    form = SatisfactionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            satisfaction.survey_answer(token=token, satisfied=form.cleaned_data["satisfied"],
                                       comment=form.cleaned_data["comment"], now=timezone.now())
        except satisfaction.SurveyLinkError as error:
            return render(request, "claims/satisfaction.html", {"link_error": error.kind},
                          status=SURVEY_LINK_STATUS[error.kind])
        return render(request, "claims/satisfaction.html", {"thanks": True})
    case = survey.claim.order.number if survey.claim_id else survey.contact_request.reference
    return render(request, "claims/satisfaction.html", {"form": form, "case": case},
                  status=400 if request.method == "POST" else 200)
