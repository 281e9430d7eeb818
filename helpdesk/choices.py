"""Choices shared by the help desk's models and the live chat's (kept apart so neither models module imports the other)."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

ARTICLE_LANGUAGES = settings.LANGUAGES


class Topic(models.TextChoices):
    """The nature of a request or a chat, as the contact form and the chat panel offer it."""

    PURCHASE = "purchase", _("Achat")
    TRACKING = "tracking", _("Suivi de commande")
    ACCOUNT = "account", _("Gestion du compte")
    PAYMENT = "payment", _("Paiement")
    OTHER = "other", _("Autre")
