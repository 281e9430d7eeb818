"""The agents' desk: the takeover queue, each claim's file read-only, and the acts that go through claims.domain.

The admin never writes a claim itself: every field is read-only, and assigning, noting, writing to the
parties and deciding are small views that call the domain and show its refusal as an error message.
"""
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.csp import CSP
from django.utils.formats import localize
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from orders.admin import EstimatedCountPaginator
from orders.numbering import ORDER_PREFIX, number_pattern
from rakuten_portal.agents import is_agent
from rakuten_portal.formatting import money

from . import domain, records, reports
from .desk import paris_day
from .admin_forms import DecisionForm, NoteForm, PartiesMessageForm
from .models import Appeal, Attachment, Claim, ClaimEvent, ClaimMessage, Notification, Proposal
from .record_display import buyer_record_html, seller_record_html

QUEUE_PARAMETER = "file"
CHART_CSP = {"default-src": [CSP.NONE], "style-src": [CSP.UNSAFE_INLINE], "img-src": [CSP.SELF, "data:"],
             "frame-ancestors": [CSP.SELF]}


class QueueFilter(admin.SimpleListFilter):
    """The takeover queue: claims support has taken over, unassigned, mine, or all of them."""

    title = gettext_lazy("file du service client")
    parameter_name = QUEUE_PARAMETER

    def lookups(self, request, model_admin):
        return [
            ("unassigned", gettext_lazy("Non attribués")),
            ("mine", gettext_lazy("Mes dossiers")),
            ("all", gettext_lazy("Tous les dossiers pris en charge")),
        ]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        queryset = queryset.filter(status=Claim.Status.WITH_SUPPORT)
        if self.value() == "unassigned":
            return queryset.filter(assigned_to__isnull=True)
        if self.value() == "mine":
            return queryset.filter(assigned_to=request.user)
        return queryset


class OverdueFilter(admin.SimpleListFilter):
    """Claims still with the seller past their deadline: the next sweep takes them over."""

    title = gettext_lazy("date limite")
    parameter_name = "retard"

    def lookups(self, request, model_admin):
        return [("yes", gettext_lazy("Dépassée (avec le vendeur)")), ("no", gettext_lazy("Non dépassée")),
                ("today", gettext_lazy("Finit aujourd'hui (avec le vendeur)"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        overdue = {"status": Claim.Status.WITH_SELLER, "seller_deadline__lt": now}
        if self.value() == "today":
            start, end = paris_day(now)
            return queryset.filter(status=Claim.Status.WITH_SELLER, seller_deadline__gte=start, seller_deadline__lt=end)
        if self.value() == "yes":
            return queryset.filter(**overdue)
        if self.value() == "no":
            return queryset.exclude(**overdue)
        return queryset


def site_datetime(value) -> str:
    """A date and time in the site's format and Paris time (what the admin does for model fields)."""
    return localize(timezone.localtime(value)) if value else "—"


def survey_summary(survey) -> str:
    """The customer's answer to the satisfaction question, as agents read it."""
    if survey is None:
        return _("Pas encore demandé")
    if not survey.is_answered:
        if survey.email_sent_at:
            return _("Demandé le %(date)s, pas de réponse") % {"date": site_datetime(survey.email_sent_at)}
        return _("Question en attente d'envoi")
    verdict = _("Satisfait") if survey.satisfied else _("Pas satisfait")
    text = _("%(verdict)s (répondu le %(date)s)") % {"verdict": verdict, "date": site_datetime(survey.answered_at)}
    if survey.comment:
        return format_html("<strong>{}</strong><br>« {} »", text, survey.comment)
    return format_html("<strong>{}</strong>", text)


class ClaimChangeList(ChangeList):
    """The queue's title says what it is and how many claims wait in it."""

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        if request.GET.get(QUEUE_PARAMETER):
            self.title = ngettext("File du service client : %(count)s dossier", "File du service client : %(count)s dossiers",
                                  self.result_count) % {"count": self.result_count}


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ClaimEventInline(ReadOnlyInline):
    model = ClaimEvent
    verbose_name_plural = gettext_lazy("Chronologie")
    fields = readonly_fields = ["at", "kind", "who", "detail"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    @admin.display(description=gettext_lazy("par"))
    def who(self, event):
        if event.automatic:
            return _("Automatique (délai)")
        return event.actor.get_username() if event.actor else "—"


class ClaimMessageInline(ReadOnlyInline):
    """The thread between the buyer, the seller and support, as the parties read it."""

    model = ClaimMessage
    verbose_name_plural = gettext_lazy("Fil de discussion")
    fields = readonly_fields = ["created_at", "role", "author_name", "body"]
    internal = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author").filter(internal=self.internal)

    @admin.display(description=gettext_lazy("auteur"))
    def author_name(self, message):
        return message.author.get_username()


class InternalNoteInline(ClaimMessageInline):
    """Agents' notes, never shown to the parties."""

    verbose_name_plural = gettext_lazy("Notes internes (conseillers seulement)")
    fields = readonly_fields = ["created_at", "author_name", "body"]
    internal = True


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    verbose_name_plural = gettext_lazy("Photos et pièces jointes")
    fields = readonly_fields = ["preview", "original_name", "uploaded_by_name", "attached_to", "uploaded_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by")

    @admin.display(description=gettext_lazy("aperçu"))
    def preview(self, attachment):
        # Through the authorised view: the files are never on a public media URL.
        link = reverse("claims:attachment", args=[attachment.pk])
        if attachment.is_image and attachment.thumbnail:
            return format_html('<a href="{}"><img src="{}" alt="{}" class="claim-admin-thumb"></a>', link,
                               reverse("claims:attachment_thumbnail", args=[attachment.pk]), attachment.original_name)
        return format_html('<a href="{}">{}</a>', link, _("Ouvrir le PDF"))

    @admin.display(description=gettext_lazy("envoyée par"))
    def uploaded_by_name(self, attachment):
        return attachment.uploaded_by.get_username()

    @admin.display(description=gettext_lazy("envoyée le"))
    def uploaded_at(self, attachment):
        return site_datetime(attachment.created_at)

    @admin.display(description=gettext_lazy("jointe à"))
    def attached_to(self, attachment):
        if attachment.proposal_id:
            return _("Proposition n° %(id)s") % {"id": attachment.proposal_id}
        if attachment.message_id:
            return _("Message n° %(id)s") % {"id": attachment.message_id}
        return _("Réclamation")


class ProposalInline(ReadOnlyInline):
    model = Proposal
    verbose_name_plural = gettext_lazy("Propositions du vendeur")
    fields = readonly_fields = ["created_at", "kind", "status", "amount_display", "carrier", "tracking_number",
                                "message", "answered_at"]

    @admin.display(description=gettext_lazy("montant"))
    def amount_display(self, proposal):
        """The amount in the agent's language ("15,00 €", "€15.00"); a replacement has none."""
        return money(proposal.amount) or "—"


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    change_form_template = "admin/claims/claim/change_form.html"
    list_display = ["order_number", "reason", "status", "buyer", "seller", "opened_at", "seller_deadline",
                    "is_overdue", "taken_over_at", "assigned_to", "appeal_flag"]
    list_filter = [QueueFilter, "status", "reason", OverdueFilter, "has_guarantee"]
    search_fields = ["=order__number", "buyer__username", "buyer__email", "seller__display_name"]
    list_select_related = ["order", "buyer", "seller", "assigned_to"]
    list_per_page = 50
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    # Newest first by the primary key's index: sorting a million rows on opened_at takes a second.
    ordering = ["-pk"]
    # The facts first (summary, photos, timeline, thread, proposals), then the internal notes; the acts come after.
    inlines = [AttachmentInline, ClaimEventInline, ClaimMessageInline, ProposalInline, InternalNoteInline]
    # The queue's columns, sized for a 1280 px screen, one line per row.
    queue_list_display = ["order_number", "reason", "waiting_since", "seller", "has_guarantee", "assigned_to",
                          "amount"]
    fieldsets = [
        (None, {"fields": ["order_link", "buyer", "buyer_record", "seller", "seller_record", "reason", "other_kind",
                           "status", "has_guarantee"]}),
        (gettext_lazy("Demande de l'acheteur"), {"fields": ["description", "received_reference", "items"]}),
        (gettext_lazy("Délais"), {"fields": ["opened_at", "seller_deadline", "reminder_at", "reminded_at",
                                             "extension_requested_at", "taken_over_at"]}),
        (gettext_lazy("Issue"), {"fields": ["assigned_to", "decision", "decision_amount_display", "decision_reason",
                                            "closed_at", "withdraw_reason", "satisfaction"]}),
    ]
    readonly_fields = ["order_link", "satisfaction", "seller_record", "buyer_record", "decision_amount_display"]

    class Media:
        css = {"all": ["claims/admin.css"]}
        js = ["js/canned-replies.js"]

    # --- read only: claims change only through the domain ---------------------------------------------

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def may_act(self, request) -> bool:
        """Agents with the claims permission may assign, note, write and decide (the domain checks the rest)."""
        return is_agent(request.user) and request.user.has_perm("claims.change_claim")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("order", "buyer", "seller", "assigned_to")

    def get_search_results(self, request, queryset, search_term):
        # A whole order number goes straight to the unique index instead of scanning every text column.
        term = search_term.strip()
        if number_pattern(ORDER_PREFIX).match(term):
            return queryset.filter(order__number=term.upper()), False
        return super().get_search_results(request, queryset, search_term)

    def get_changelist(self, request, **kwargs):
        return ClaimChangeList

    def get_list_display(self, request):
        if request.GET.get(QUEUE_PARAMETER):
            return self.queue_list_display
        return super().get_list_display(request)

    def get_ordering(self, request):
        # The queue is served oldest takeover first.
        if request.GET.get(QUEUE_PARAMETER):
            return ["taken_over_at", "pk"]
        return super().get_ordering(request)

    @admin.display(description=gettext_lazy("commande"), ordering="order__number")
    def order_number(self, claim):
        return claim.order.number

    @admin.display(description=gettext_lazy("commande"))
    def order_link(self, claim):
        return format_html('<a href="{}">{}</a>', reverse("admin:orders_order_change", args=[claim.order_id]),
                           claim.order.number)

    @admin.display(description=gettext_lazy("en attente depuis"), ordering="taken_over_at")
    def waiting_since(self, claim):
        if not claim.taken_over_at:
            return "—"
        return format_html('<time datetime="{}" title="{}">{}</time>', claim.taken_over_at.isoformat(),
                           site_datetime(claim.taken_over_at), timesince(claim.taken_over_at, timezone.now(), depth=1))

    @admin.display(description=gettext_lazy("montant"), ordering="order__total")
    def amount(self, claim):
        return money(claim.order.total)

    @admin.display(description=gettext_lazy("montant remboursé"))
    def decision_amount_display(self, claim):
        return money(claim.decision_amount) or "—"

    @admin.display(description=gettext_lazy("dossier du vendeur"))
    def seller_record(self, claim):
        return seller_record_html(claim.seller_id)

    @admin.display(description=gettext_lazy("dossier de l'acheteur"))
    def buyer_record(self, claim):
        return buyer_record_html(claim.buyer_id)

    @admin.display(description=gettext_lazy("avis de l'acheteur"))
    def satisfaction(self, claim):
        return survey_summary(getattr(claim, "survey", None))

    @admin.display(description=gettext_lazy("contestée"), boolean=True)
    def appeal_flag(self, claim):
        """Appealed claims stand out in the queue: another agent should take them."""
        return claim.appealed_at is not None

    def warn_same_agent(self, request, claim) -> None:
        """An appeal should be decided by another agent than the first decision's: say so, do not forbid."""
        if claim.appealed_at is None or not claim.is_with_support:
            return
        first_agent_id = Appeal.objects.filter(claim=claim).values_list("first_agent_id", flat=True).first()
        if first_agent_id and first_agent_id == request.user.pk:
            messages.warning(request, _("Vous avez pris la première décision sur ce dossier contesté : il devrait "
                                        "être réexaminé par un autre conseiller."))

    @admin.display(description=gettext_lazy("en retard"), boolean=True)
    def is_overdue(self, claim):
        return claim.is_with_seller and claim.seller_deadline < timezone.now()

    # --- the agent's acts -------------------------------------------------------------------------------

    def get_urls(self):
        def wrap(view):
            return self.admin_site.admin_view(view)

        return [
            path("file/", wrap(self.queue_view), name="claims_claim_queue"),
            path("rapports/", wrap(self.reports_view), name="claims_reports"),
            path("rapports/<slug:key>.svg", wrap(self.report_chart_view), name="claims_report_chart"),
            path("rapports/<slug:key>.csv", wrap(self.report_csv_view), name="claims_report_csv"),
            path("<int:object_id>/attribuer/", wrap(self.assign_view), name="claims_claim_assign"),
            path("<int:object_id>/note/", wrap(self.note_view), name="claims_claim_note"),
            path("<int:object_id>/ecrire/", wrap(self.message_view), name="claims_claim_message"),
            path("<int:object_id>/decider/", wrap(self.decide_view), name="claims_claim_decide"),
        ] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        claim = self.get_object(request, object_id)
        extra = dict(extra_context or {})
        if claim is not None:
            extra.update(self.action_context(request, claim))
            if request.method == "GET":
                self.warn_same_agent(request, claim)
        return super().change_view(request, object_id, form_url, extra_context=extra)

    def action_context(self, request, claim, **forms) -> dict:
        may_act = self.may_act(request)
        return {
            "claim": claim,
            "may_act": may_act,
            "may_assign": may_act and claim.is_with_support and claim.assigned_to_id != request.user.pk,
            "may_decide": may_act and claim.is_with_support,
            "may_write": may_act and claim.is_open,
            "decision_form": forms.get("decision_form") or DecisionForm(claim=claim),
            "note_form": forms.get("note_form") or NoteForm(),
            "message_form": forms.get("message_form") or PartiesMessageForm(claim=claim),
        }

    def _claim_for_act(self, request, object_id) -> Claim:
        claim = self.get_object(request, str(object_id))
        if claim is None:
            raise Http404
        if not self.may_act(request):
            raise PermissionDenied
        return claim

    def _back_to(self, claim):
        return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[claim.pk]))

    # --- reports (claims/reports.py) ---------------------------------------------------------------------

    def _report(self, request) -> reports.Report:
        if not self.has_view_permission(request):
            raise PermissionDenied
        weeks = request.GET.get("semaines", "")
        weeks = int(weeks) if weeks.isdigit() and int(weeks) in reports.PERIODS else reports.DEFAULT_WEEKS
        return reports.Report(weeks=weeks, now=timezone.now())

    def reports_view(self, request):
        """Weekly figures for the chosen period: each chart beside its table and its CSV."""
        report = self._report(request)
        # Each chart travels inside the page (a data: image), drawn from the same figures as its table:
        # one computation per page, and nothing for a script to run.
        figures = [{"figure": figure, "rows": [[reports.display(value) for value in row] for row in figure.rows],
                    "chart": reports.svg_data_uri(reports.render_svg(figure))}
                   for figure in report.figures()]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts, "title": _("Rapports du service client"), "report": report, "figures": figures,
            "periods": [(weeks, reports.PERIOD_LABELS[weeks]) for weeks in reports.PERIODS],
            "satisfaction_rate": reports.display(report.satisfaction_rate()),
        }
        return render(request, "admin/claims/reports.html", context)

    def _report_figure(self, request, key):
        if key not in reports.FIGURE_KEYS:
            raise Http404
        return self._report(request).figure(key)

    def report_chart_view(self, request, key):
        response = HttpResponse(reports.render_svg(self._report_figure(request, key)), content_type="image/svg+xml")
        response["Cache-Control"] = "private, max-age=60"
        # The chart is a static picture: its own styles, never a script (the page shows it as an <img>).
        response._csp_config = CHART_CSP
        return response

    def report_csv_view(self, request, key):
        figure = self._report_figure(request, key)
        response = HttpResponse(reports.render_csv(figure), content_type="text/csv; charset=utf-8")
        weeks = request.GET.get("semaines", reports.DEFAULT_WEEKS)
        response["Content-Disposition"] = f'attachment; filename="rapport-{key}-{weeks}-semaines.csv"'
        return response

    def queue_view(self, request):
        """The agents' entry point: the oldest unassigned takeovers first."""
        return HttpResponseRedirect(f"{reverse('admin:claims_claim_changelist')}?{QUEUE_PARAMETER}=unassigned")

    def assign_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        claim = self._claim_for_act(request, object_id)
        try:
            domain.claim_assign(claim_id=claim.pk, agent=request.user, now=timezone.now())
        except domain.ClaimActionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Le dossier %(number)s vous est attribué.") % {"number": claim.order.number})
        return self._back_to(claim)

    def _form_view(self, request, object_id, *, form_class, form_name, title, act, done):
        """GET shows the form alone; POST acts through the domain; an error keeps what the agent typed."""
        claim = self._claim_for_act(request, object_id)
        form_kwargs = {"claim": claim} if form_class in (DecisionForm, PartiesMessageForm) else {}
        form = form_class(request.POST or None, **form_kwargs)
        if request.method == "POST":
            if form.is_valid():
                try:
                    act(claim, form.cleaned_data)
                except domain.ClaimActionError as error:
                    messages.error(request, error.message)
                else:
                    messages.success(request, done)
                    return self._back_to(claim)
            else:
                messages.error(request, _("Corrigez les erreurs ci-dessous."))
        context = {
            **self.admin_site.each_context(request),
            **self.action_context(request, claim, **{form_name: form}),
            "opts": self.opts,
            "title": title,
            "form": form,
            "form_name": form_name,
            "original": claim,
        }
        return render(request, "admin/claims/claim/action_form.html", context,
                      status=400 if request.method == "POST" else 200)

    def note_view(self, request, object_id):
        return self._form_view(
            request, object_id, form_class=NoteForm, form_name="note_form", title=_("Ajouter une note interne"),
            act=lambda claim, data: domain.claim_add_note(claim_id=claim.pk, agent=request.user, body=data["body"],
                                                          now=timezone.now()),
            done=_("Note interne ajoutée : seuls les conseillers la voient."),
        )

    def message_view(self, request, object_id):
        return self._form_view(
            request, object_id, form_class=PartiesMessageForm, form_name="message_form", title=_("Écrire aux parties"),
            act=lambda claim, data: domain.claim_post_message(claim_id=claim.pk, author=request.user,
                                                              body=data["body"], now=timezone.now()),
            done=_("Message envoyé à l'acheteur et au vendeur."),
        )

    def decide_view(self, request, object_id):
        claim = self.get_object(request, str(object_id))
        if claim is not None and request.method == "GET":
            self.warn_same_agent(request, claim)
        return self._form_view(
            request, object_id, form_class=DecisionForm, form_name="decision_form", title=_("Décider"),
            act=lambda claim, data: domain.claim_decide(
                claim_id=claim.pk, agent=request.user, decision=data["decision"], reason=data["reason"],
                amount=data["amount"], now=timezone.now()),
            done=_("Décision enregistrée : l'acheteur et le vendeur en sont informés."),
        )


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The outbox, read-only: what was sent to whom, and what is still waiting for its e-mail."""

    list_display = ["created_at", "recipient", "kind", "claim", "email_status", "email_attempts", "email_sent_at"]
    list_filter = ["email_status", "kind"]
    search_fields = ["recipient__username", "recipient__email"]
    list_select_related = ["recipient", "claim__order"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
