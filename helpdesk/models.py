"""Help-centre articles, and the contact requests customers send to the service client with their thread."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from rakuten_portal.stored_files import StoredFile

from .choices import ARTICLE_LANGUAGES, Topic  # noqa: F401 — ARTICLE_LANGUAGES is read from here too


class Category(models.Model):
    """A heading of the help centre; its title in each language."""

    slug = models.SlugField(_("identifiant"), max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title_fr = models.CharField(_("titre (français)"), max_length=120)
    title_en = models.CharField(_("titre (anglais)"), max_length=120)

    class Meta:
        verbose_name = _("rubrique d'aide")
        verbose_name_plural = _("rubriques d'aide")
        ordering = ["position", "slug"]

    def __str__(self):
        return self.title_fr

    @property
    def title(self) -> str:
        """The title in the active language, French when there is no English one."""
        return (self.title_en if (get_language() or "").startswith("en") else "") or self.title_fr


class Article(models.Model):
    """One article in one language: the same slug in another language is its translation."""

    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="articles", verbose_name=_("rubrique"))
    slug = models.SlugField(_("identifiant"), max_length=80)
    language = models.CharField(_("langue"), max_length=8, choices=ARTICLE_LANGUAGES, default=settings.LANGUAGE_CODE)
    title = models.CharField(_("titre"), max_length=200)
    summary = models.CharField(_("résumé"), max_length=300)
    body = models.TextField(
        _("texte"),
        help_text=_("Texte brut : une ligne vide sépare les paragraphes ; un paragraphe dont chaque ligne "
                    "commence par « - » devient une liste à puces. Aucun HTML."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    published = models.BooleanField(_("publié"), default=True)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("article d'aide")
        verbose_name_plural = _("articles d'aide")
        ordering = ["category__position", "position", "slug", "language"]
        constraints = [models.UniqueConstraint(fields=["slug", "language"], name="one_article_per_slug_language")]
        indexes = [models.Index(fields=["language", "published"], name="article_language_idx")]

    def __str__(self):
        return f"{self.title} ({self.language})"


class ContactRequest(models.Model):
    """A customer's request to the service client, known by its reference (SC-2026-000045)."""

    Topic = Topic

    class Status(models.TextChoices):
        NEW = "new", _("Nouvelle")
        IN_PROGRESS = "in_progress", _("En cours")
        WAITING_CUSTOMER = "waiting_customer", _("En attente du client")
        CLOSED = "closed", _("Clôturée")

    reference = models.CharField(_("référence"), max_length=20, unique=True)
    topic = models.CharField(_("nature du problème"), max_length=16, choices=Topic.choices)
    status = models.CharField(_("statut"), max_length=16, choices=Status.choices, default=Status.NEW)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="contact_requests",
        verbose_name=_("compte client"),
    )
    email = models.EmailField(_("adresse e-mail"))
    order = models.ForeignKey(
        "orders.Order", on_delete=models.SET_NULL, null=True, blank=True, related_name="contact_requests",
        verbose_name=_("commande"),
    )
    # As typed (anonymous) or copied from the order: the agent sees what the customer gave.
    order_number = models.CharField(_("numéro de commande"), max_length=20, blank=True)
    seller_name = models.CharField(_("nom du vendeur"), max_length=80, blank=True)
    language = models.CharField(_("langue"), max_length=8, choices=ARTICLE_LANGUAGES, default=settings.LANGUAGE_CODE)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        limit_choices_to={"is_staff": True}, verbose_name=_("conseiller"),
    )
    created_at = models.DateTimeField(_("reçue le"))
    updated_at = models.DateTimeField(_("dernière activité"))
    # The first agent reply, stored when it is sent (services.contact_request_answer): the reports' first response.
    first_response_at = models.DateTimeField(_("première réponse le"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("demande au service client")
        verbose_name_plural = _("demandes au service client")
        ordering = ["-created_at", "-id"]
        # rakuten_portal.agents.AGENT_PERMISSION: what makes an account a support agent on the site.
        permissions = [("act_as_agent", "Peut agir comme conseiller du service client")]
        indexes = [
            models.Index(fields=["requester", "-created_at"], name="contact_requester_idx"),
            models.Index(fields=["status", "-created_at"], name="contact_status_idx"),
        ]

    def __str__(self):
        return self.reference

    @property
    def is_closed(self):
        return self.status == self.Status.CLOSED

    @property
    def is_waiting_customer(self):
        return self.status == self.Status.WAITING_CUSTOMER


class ContactMessage(models.Model):
    """One message of a request's thread: the customer's or an agent's."""

    class Role(models.TextChoices):
        CUSTOMER = "customer", _("Client")
        AGENT = "agent", _("Service client")

    request = models.ForeignKey(ContactRequest, on_delete=models.CASCADE, related_name="messages")
    role = models.CharField(_("auteur"), max_length=10, choices=Role.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    body = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(_("envoyé le"))

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.request} — {self.get_role_display()}"

    @property
    def is_agent(self):
        return self.role == self.Role.AGENT


def attachment_path(instance, filename):
    """Random names, so that a path says nothing and cannot be guessed."""
    from claims.photos import random_name

    return f"helpdesk/{random_name(filename.rsplit('.', 1)[-1])}"


class ContactAttachment(StoredFile):
    """A re-encoded photo or a PDF, served only to the request's owner and staff."""

    request = models.ForeignKey(ContactRequest, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(ContactMessage, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    thumbnail = models.FileField(upload_to=attachment_path, max_length=200, blank=True)


class OutgoingEmail(models.Model):
    """The help desk's outbox: written with the request, sent after commit, retried until sent."""

    class Kind(models.TextChoices):
        ACKNOWLEDGEMENT = "ack", _("Accusé de réception")
        AGENT_REPLY = "reply", _("Réponse du service client")
        CHAT_TRANSCRIPT = "chat", _("Transcription de la messagerie")

    class Status(models.TextChoices):
        PENDING = "pending", _("À envoyer")
        SENT = "sent", _("Envoyé")
        FAILED = "failed", _("Échec définitif")

    request = models.ForeignKey(ContactRequest, on_delete=models.CASCADE, related_name="emails")
    message = models.ForeignKey(ContactMessage, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    to = models.EmailField(_("destinataire"))
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("e-mail envoyé")
        verbose_name_plural = _("e-mails envoyés")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=Q(status="pending"), name="helpdesk_outbox_idx"),
        ]

    def __str__(self):
        return f"{self.request} {self.kind} → {self.to}"


def validate_placeholders(text: str) -> None:
    """Refuse a placeholder the portal cannot fill (see helpdesk/canned.py)."""
    from .canned import check_placeholders

    check_placeholders(text)


class CannedReply(models.Model):
    """A reply agents keep ready, in French and English, with placeholders filled from the case."""

    class Scope(models.TextChoices):
        CLAIMS = "claims", _("Réclamations")
        REQUESTS = "requests", _("Demandes au service client")
        BOTH = "both", _("Réclamations et demandes")

    title = models.CharField(_("titre"), max_length=120, unique=True)
    scope = models.CharField(_("pour"), max_length=10, choices=Scope.choices, default=Scope.BOTH)
    text_fr = models.TextField(_("texte (français)"), max_length=5000, validators=[validate_placeholders],
                               help_text=_("Champs remplis d'après le dossier : {acheteur}, {vendeur}, {commande}, "
                                           "{date_limite}, {montant}."))
    text_en = models.TextField(_("texte (anglais)"), max_length=5000, blank=True, validators=[validate_placeholders],
                               help_text=_("Vide : le texte français sert aussi aux clients anglophones."))
    active = models.BooleanField(_("proposée aux conseillers"), default=True)

    class Meta:
        verbose_name = _("réponse type")
        verbose_name_plural = _("réponses types")
        ordering = ["title"]

    def __str__(self):
        return self.title

    def text_in(self, language: str) -> str:
        """The text in the reader's language, French when there is no English one."""
        return (self.text_en if (language or "").startswith("en") else "") or self.text_fr


# The live chat's models live in their package; importing them here registers them with the app.
from .chat.models import AgentPresence, ChatEvent, ChatMessage, Conversation  # noqa: E402,F401
