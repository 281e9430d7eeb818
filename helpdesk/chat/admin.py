"""The chat in the admin: conversations (read only: the domain writes them), agents' capacities, the console."""
from django.contrib import admin
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import views
from .models import AgentPresence, ChatEvent, ChatMessage, Conversation


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ChatMessageInline(ReadOnlyInline):
    model = ChatMessage
    fields = readonly_fields = ["sent_at", "author", "name", "text"]


class ChatEventInline(ReadOnlyInline):
    model = ChatEvent
    fields = readonly_fields = ["at", "kind", "from_state", "to_state", "actor", "detail"]


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ["id", "visitor_name", "topic", "state", "agent", "created_at", "closed_by", "rating",
                    "request_link"]
    list_filter = ["state", "topic", "rating", ("agent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["visitor_name", "email", "request__reference"]
    list_select_related = ["agent", "request"]
    date_hierarchy = "created_at"
    fields = ["state", "topic", "visitor", "visitor_name", "email", "order", "language", "agent", "created_at",
              "queued_at", "assigned_at", "last_activity_at", "closed_at", "closed_by", "rating", "rating_comment",
              "request_link"]
    readonly_fields = fields
    inlines = [ChatMessageInline, ChatEventInline]
    change_list_template = "admin/helpdesk/conversation/change_list.html"

    def has_add_permission(self, request):
        return False  # conversations open from the help pages

    def has_change_permission(self, request, obj=None):
        return False  # every change goes through helpdesk/chat/domain.py

    @admin.display(description=_("demande"))
    def request_link(self, conversation):
        if not conversation.request_id:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("admin:helpdesk_contactrequest_change",
                                                          args=[conversation.request_id]),
                           conversation.request.reference)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("console/", wrap(lambda request: views.console_view(request, self.admin_site)),
                 name="helpdesk_conversation_console"),
            path("<int:conversation_id>/contexte/", wrap(views.visitor_context),
                 name="helpdesk_conversation_context"),
        ] + super().get_urls()


@admin.register(AgentPresence)
class AgentPresenceAdmin(admin.ModelAdmin):
    list_display = ["agent", "status", "capacity", "last_seen_at"]
    fields = ["agent", "capacity", "status", "last_seen_at"]
    readonly_fields = ["agent", "status", "last_seen_at"]
    list_editable = ["capacity"]

    def has_add_permission(self, request):
        return False  # a row appears when the agent first opens the console


@admin.display(description=_("conversation (messagerie)"))
def chat_summary(request_admin, contact_request):
    """On a request that came from the chat: the conversation, who ended it, the rating and its comment."""
    conversation = getattr(contact_request, "chat", None)
    if conversation is None:
        return "—"
    return format_html(
        '<a href="{}">#{}</a> — {} — {} {}',
        reverse("admin:helpdesk_conversation_change", args=[conversation.pk]), conversation.pk,
        conversation.get_closed_by_display() or "—", conversation.get_rating_display() or "—",
        f"« {conversation.rating_comment} »" if conversation.rating_comment else "",
    )


def _add_to_request_admin():
    """The request's admin page shows its chat (a read-only line, no form), without helpdesk/admin.py knowing."""
    from helpdesk.models import ContactRequest

    request_admin = admin.site._registry.get(ContactRequest)
    if request_admin is None or "chat_summary" in request_admin.readonly_fields:
        return
    type(request_admin).chat_summary = chat_summary
    request_admin.readonly_fields = [*request_admin.readonly_fields, "chat_summary"]
    request_admin.fieldsets = [*request_admin.fieldsets, (_("Messagerie instantanée"), {"fields": ["chat_summary"]})]


_add_to_request_admin()
