"""The live chat's rows: a conversation, its messages and events, and the agents' presence."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from helpdesk.choices import ARTICLE_LANGUAGES, Topic


def default_capacity() -> int:
    return settings.CHAT_AGENT_CAPACITY


class Conversation(models.Model):
    """One visitor's chat with the service client, from the queue to its close (then kept as a request)."""

    Topic = Topic

    class State(models.TextChoices):
        WAITING = "waiting", _("En attente d'un conseiller")
        ACTIVE = "active", _("En cours")
        CLOSED = "closed", _("Terminée")

    class ClosedBy(models.TextChoices):
        VISITOR = "visitor", _("Le visiteur")
        AGENT = "agent", _("Le conseiller")
        IDLE = "idle", _("Inactivité")
        REQUEST = "request", _("Laissée en demande")

    class Rating(models.TextChoices):
        SATISFIED = "satisfied", _("Satisfait")
        NOT_SATISFIED = "not_satisfied", _("Pas satisfait")

    state = models.CharField(_("état"), max_length=8, choices=State.choices, default=State.WAITING)
    topic = models.CharField(_("sujet"), max_length=16, choices=Topic.choices)
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="chat_conversations",
        verbose_name=_("compte client"),
    )
    # The anonymous visitor's session: the only key to their conversation.
    session_key = models.CharField(max_length=64, blank=True, db_index=True)
    visitor_name = models.CharField(_("nom du visiteur"), max_length=80)
    email = models.EmailField(_("adresse e-mail"), blank=True)
    order = models.ForeignKey(
        "orders.Order", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("commande"),
    )
    language = models.CharField(_("langue"), max_length=8, choices=ARTICLE_LANGUAGES, default=settings.LANGUAGE_CODE)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="chats_assigned",
        verbose_name=_("conseiller"),
    )
    created_at = models.DateTimeField(_("ouverte le"))
    # Place in the queue: a conversation put back (its agent left) keeps its first arrival.
    queued_at = models.DateTimeField(_("en file depuis"))
    assigned_at = models.DateTimeField(_("prise en charge le"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("dernière activité"))
    closed_at = models.DateTimeField(_("terminée le"), null=True, blank=True)
    closed_by = models.CharField(_("terminée par"), max_length=8, choices=ClosedBy.choices, blank=True)
    rating = models.CharField(_("appréciation"), max_length=16, choices=Rating.choices, blank=True)
    rating_comment = models.TextField(_("commentaire"), max_length=1000, blank=True)
    request = models.OneToOneField(
        "helpdesk.ContactRequest", on_delete=models.SET_NULL, null=True, blank=True, related_name="chat",
        verbose_name=_("demande"),
    )

    class Meta:
        verbose_name = _("conversation (messagerie)")
        verbose_name_plural = _("conversations (messagerie)")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One open conversation per account, and per anonymous session.
            models.UniqueConstraint(fields=["visitor"], condition=Q(visitor__isnull=False) & ~Q(state="closed"),
                                    name="chat_one_open_per_visitor"),
            models.UniqueConstraint(fields=["session_key"],
                                    condition=Q(visitor__isnull=True) & ~Q(session_key="") & ~Q(state="closed"),
                                    name="chat_one_open_per_session"),
        ]
        indexes = [
            models.Index(fields=["queued_at", "id"], condition=Q(state="waiting"), name="chat_waiting_idx"),
            models.Index(fields=["last_activity_at"], condition=~Q(state="closed"), name="chat_open_activity_idx"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.visitor_name} ({self.get_topic_display()})"

    @property
    def is_waiting(self):
        return self.state == self.State.WAITING

    @property
    def is_active(self):
        return self.state == self.State.ACTIVE

    @property
    def is_closed(self):
        return self.state == self.State.CLOSED


class ChatMessage(models.Model):
    """One line of a conversation, written before it is sent out; its id orders the replay."""

    class Author(models.TextChoices):
        VISITOR = "visitor", _("Visiteur")
        AGENT = "agent", _("Conseiller")
        SYSTEM = "system", _("Messagerie")

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    author = models.CharField(_("auteur"), max_length=8, choices=Author.choices)
    author_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    name = models.CharField(_("nom"), max_length=80, blank=True)
    text = models.TextField(_("message"))
    # Made by the sender's browser: the same message sent twice (a retry after a reconnect) is stored once.
    client_id = models.UUIDField(null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyé le"))

    class Meta:
        verbose_name = _("message de messagerie")
        verbose_name_plural = _("messages de messagerie")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["conversation", "client_id"], name="chat_message_once")]
        indexes = [models.Index(fields=["conversation", "author", "sent_at"], name="chat_message_rate_idx")]

    def __str__(self):
        return f"{self.conversation_id}/{self.pk} {self.author}"


class ChatEvent(models.Model):
    """A change of a conversation's state (or of its agent), with who did it."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Ouverte")
        TAKEN = "taken", _("Prise en charge")
        TRANSFERRED = "transferred", _("Transférée")
        RELEASED = "released", _("Remise en file (conseiller parti)")
        CLOSED = "closed", _("Terminée")
        LEFT_AS_REQUEST = "left_request", _("Laissée en demande")
        RATED = "rated", _("Appréciée")

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("événement"), max_length=16, choices=Kind.choices)
    from_state = models.CharField(max_length=8, blank=True)
    to_state = models.CharField(max_length=8, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")
    detail = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("événement de messagerie")
        verbose_name_plural = _("événements de messagerie")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.conversation_id} {self.kind}"


class AgentPresence(models.Model):
    """An agent's availability on the chat, kept alive by their console's heartbeat."""

    class Status(models.TextChoices):
        AVAILABLE = "available", _("Disponible")
        AWAY = "away", _("Absent")

    agent = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_presence",
                                 verbose_name=_("conseiller"))
    status = models.CharField(_("présence"), max_length=10, choices=Status.choices, default=Status.AWAY)
    capacity = models.PositiveSmallIntegerField(_("conversations simultanées"), default=default_capacity)
    last_seen_at = models.DateTimeField(_("dernier signal"), null=True, blank=True)
    # Open consoles (sockets) of this agent; at zero their conversations go back to the queue.
    connections = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("présence d'un conseiller")
        verbose_name_plural = _("présences des conseillers")

    def __str__(self):
        return f"{self.agent} ({self.status})"
