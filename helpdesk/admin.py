"""Admin for agents: help-centre articles, and the requests they triage and answer."""
from django.contrib import admin
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from rakuten_portal.agents import agent_accounts, is_agent

from .forms import ContactRequestAdminForm
from .canned import PLACEHOLDERS
from .models import Article, CannedReply, Category, ContactMessage, ContactRequest, OutgoingEmail
from .services import contact_request_answer


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["title_fr", "title_en", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["title_fr"]}


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "language", "category", "position", "published", "updated_at"]
    list_filter = ["language", "published", "category"]
    search_fields = ["title", "summary", "body", "slug"]
    list_select_related = ["category"]
    fields = ["category", "slug", "language", "title", "summary", "body", "position", "published", "updated_at"]
    readonly_fields = ["updated_at"]


@admin.register(CannedReply)
class CannedReplyAdmin(admin.ModelAdmin):
    """Replies agents keep ready; an unknown placeholder is refused when saved."""

    list_display = ["title", "scope", "active"]
    list_filter = ["scope", "active"]
    search_fields = ["title", "text_fr", "text_en"]
    fields = ["title", "scope", "active", "text_fr", "text_en", "placeholders"]
    readonly_fields = ["placeholders"]

    @admin.display(description=_("champs possibles"))
    def placeholders(self, reply):
        return format_html_join(", ", "<code>{{{}}}</code> ({})", ((name, label) for name, label in PLACEHOLDERS.items()))


class ContactMessageInline(admin.StackedInline):
    model = ContactMessage
    extra = 0
    can_delete = False
    fields = ["created_at", "role", "author", "body", "files"]
    readonly_fields = fields
    verbose_name_plural = _("fil de la demande")

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author").prefetch_related("attachments")

    @admin.display(description=_("pièces jointes"))
    def files(self, message):
        links = [
            format_html('<a href="{}">{}</a>', reverse("helpdesk:attachment", args=[a.pk]), a.original_name)
            for a in message.attachments.all()
        ]
        return format_html(", ".join(["{}"] * len(links)), *links) if links else "—"


class OutgoingEmailInline(admin.TabularInline):
    model = OutgoingEmail
    extra = 0
    can_delete = False
    fields = ["created_at", "kind", "to", "status", "attempts", "sent_at"]
    readonly_fields = fields
    verbose_name_plural = _("e-mails au client")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ContactRequest)
class ContactRequestAdmin(admin.ModelAdmin):
    form = ContactRequestAdminForm
    list_display = ["reference", "topic", "status", "email", "order_number", "seller_name", "assigned_to", "created_at"]
    list_filter = ["status", "topic", ("assigned_to", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["reference", "email", "order_number", "seller_name"]
    list_select_related = ["assigned_to"]
    date_hierarchy = "created_at"
    readonly_fields = ["reference", "topic", "requester", "email", "order_link", "order_number", "seller_name",
                       "language", "created_at", "updated_at", "satisfaction"]
    fieldsets = [
        (None, {"fields": ["reference", "topic", "status", "assigned_to"]}),
        (_("Client"), {"fields": ["requester", "email", "order_link", "order_number", "seller_name", "language"]}),
        (None, {"fields": ["created_at", "updated_at", "satisfaction"]}),
        (_("Répondre"), {"fields": ["reply"]}),
    ]
    inlines = [ContactMessageInline, OutgoingEmailInline]

    class Media:
        css = {"all": ["claims/admin.css"]}  # the desk's shared admin styles (the canned-reply picker)

    def has_add_permission(self, request):
        return False  # requests come from customers, through the contact form

    def get_fieldsets(self, request, obj=None):
        # Only agents write to customers: the answer box is not offered to other staff.
        fieldsets = super().get_fieldsets(request, obj)
        return fieldsets if is_agent(request.user) else [fs for fs in fieldsets if "reply" not in fs[1]["fields"]]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assigned_to":
            kwargs["queryset"] = agent_accounts()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("commande"))
    def order_link(self, contact_request):
        if not contact_request.order_id:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("admin:orders_order_change", args=[contact_request.order_id]),
                           contact_request.order_number)

    @admin.display(description=_("avis du client"))
    def satisfaction(self, contact_request):
        from claims.admin import survey_summary

        return survey_summary(getattr(contact_request, "survey", None))

    def save_model(self, request, obj, form, change):
        # The declared field stays on the form even when the fieldsets leave it out: ignore it for non-agents.
        reply = form.cleaned_data.get("reply", "").strip() if is_agent(request.user) else ""
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if reply:
                contact_request_answer(contact_request=obj, agent=request.user, body=reply, now=timezone.now(),
                                       close=obj.is_closed)
                self.message_user(request, _("Votre réponse a été envoyée au client par e-mail."))
