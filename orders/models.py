"""Sellers, listings, orders, their lines and tracking: the data the claims stand on."""
import uuid
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rakuten_portal.formatting import money


def sale_closes_after() -> timedelta:
    """How long after the purchase a sale with no open claim is finalized (setting SALE_CLOSES_AFTER_WEEKS)."""
    return timedelta(weeks=settings.SALE_CLOSES_AFTER_WEEKS)


def sale_closes_at(purchased_at: datetime) -> datetime:
    """The one instant a sale closes: SALE_CLOSES_AFTER_WEEKS after the purchase, at the same Paris wall-clock time.

    Bought on Tuesday 10 March 2026 at 10:00 in Paris, it closes on Tuesday 21 April 2026 at 10:00 in Paris, though
    the clocks went forward in between (so 6 weeks less one hour of elapsed time). Adding a timedelta to an aware
    datetime adds wall-clock time in *that datetime's* zone: done on a Paris time (the admin's form) and on the same
    instant read back from the database in UTC, it gave two answers an hour apart. Every caller (Order.save,
    order_create, the claim eligibility, the sweep's stored ``finalizes_at``, the demo) goes through here.
    """
    closes = purchased_at.astimezone(timezone.get_default_timezone()) + sale_closes_after()
    return closes.astimezone(dt_timezone.utc)


class AccountPreferences(models.Model):
    """What we remember of a user beyond Django's user: the language of their e-mails."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preferences")
    language = models.CharField(_("langue"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)

    class Meta:
        verbose_name = _("préférences du compte")
        verbose_name_plural = _("préférences des comptes")

    def __str__(self):
        return f"{self.user} ({self.language})"


class SellerProfile(models.Model):
    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("Particulier")
        PROFESSIONAL = "professional", _("Professionnel")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="seller_profile")
    display_name = models.CharField(_("nom affiché"), max_length=80, unique=True)
    kind = models.CharField(_("type de vendeur"), max_length=16, choices=Kind.choices)
    contact_email = models.EmailField(_("adresse e-mail de contact"))
    # Proposed with every return or exchange; the seller may change it on the proposal form.
    return_address = models.TextField(_("adresse de retour"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("vendeur")
        verbose_name_plural = _("vendeurs")
        ordering = ["display_name"]

    def __str__(self):
        return self.display_name

    @property
    def is_professional(self):
        return self.kind == self.Kind.PROFESSIONAL

    def clean(self):
        # Otherwise turning a professional into an individual would leave them selling new items.
        if self.pk and not self.is_professional and self.listings.filter(condition=Listing.Condition.NEW).exists():
            raise ValidationError(
                {"kind": _("Ce vendeur a des annonces d'articles neufs : il doit rester professionnel.")}
            )


class Listing(models.Model):
    class Condition(models.TextChoices):
        NEW = "new", _("Neuf")
        USED = "used", _("Occasion")
        REFURBISHED = "refurbished", _("Reconditionné")

    seller = models.ForeignKey(SellerProfile, on_delete=models.PROTECT, related_name="listings", verbose_name=_("vendeur"))
    title = models.CharField(_("titre"), max_length=200)
    reference = models.CharField(_("référence (EAN/SKU)"), max_length=40)
    condition = models.CharField(_("état"), max_length=16, choices=Condition.choices)
    price = models.DecimalField(_("prix"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))])

    class Meta:
        verbose_name = _("annonce")
        verbose_name_plural = _("annonces")
        constraints = [models.CheckConstraint(condition=Q(price__gt=0), name="listing_price_positive")]

    def __str__(self):
        return f"{self.title} ({self.get_condition_display()})"

    def clean(self):
        # The rule spans two tables, so it is checked here (forms and admin call full_clean).
        if self.condition == self.Condition.NEW and self.seller_id and not self.seller.is_professional:
            raise ValidationError(
                {"condition": _("Seuls les vendeurs professionnels peuvent vendre des articles neufs.")}
            )


def wallet_above_total_message(total):
    return _("La part payée par le porte-monnaie ne peut pas dépasser le total de la commande (%(total)s).") % {
        "total": money(total)
    }


class Order(models.Model):
    class Status(models.TextChoices):
        PLACED = "placed", _("Commandée")
        SHIPPED = "shipped", _("Expédiée")
        DELIVERED = "delivered", _("Livrée")
        FINALIZED = "finalized", _("Vente finalisée")
        CANCELLED = "cancelled", _("Annulée")

    class Shipping(models.TextChoices):
        STANDARD = "standard", _("Livraison standard")
        RELAY = "relay", _("Point relais")
        EXPRESS = "express", _("Livraison express")

    class Destination(models.TextChoices):
        METROPOLITAN = "metropolitan", _("France métropolitaine")
        OVERSEAS = "overseas", _("France d'outre-mer")
        ABROAD = "abroad", _("Étranger")

    class Payment(models.TextChoices):
        CARD = "card", _("Carte bancaire (CB, Visa, Mastercard, American Express)")
        WALLET = "wallet", _("Porte-monnaie")
        PAYLIB = "paylib", _("Paylib")
        PAYPAL = "paypal", _("PayPal")
        CARD_4X = "card_4x", _("4XCB Cofidis (4 mensualités)")
        CARD_5X = "card_5x", _("CB en 5 mensualités")
        CARD_10X = "card_10x", _("CB en 10 mensualités")
        CARD_20X = "card_20x", _("CB en 20 mensualités")

    INSTALMENTS = (Payment.CARD_4X, Payment.CARD_5X, Payment.CARD_10X, Payment.CARD_20X)
    METROPOLITAN_ONLY = (Payment.CARD_5X, Payment.CARD_10X, Payment.CARD_20X)

    number = models.CharField(_("numéro"), max_length=20, unique=True)
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders", verbose_name=_("acheteur"))
    seller = models.ForeignKey(SellerProfile, on_delete=models.PROTECT, related_name="sales", verbose_name=_("vendeur"))
    purchased_at = models.DateTimeField(_("date d'achat"))
    status = models.CharField(_("statut"), max_length=16, choices=Status.choices, default=Status.PLACED)
    shipping_method = models.CharField(_("mode de livraison"), max_length=16, choices=Shipping.choices)
    destination = models.CharField(_("destination"), max_length=16, choices=Destination.choices)
    payment_method = models.CharField(_("moyen de paiement"), max_length=16, choices=Payment.choices)
    wallet_amount = models.DecimalField(
        _("part payée par le porte-monnaie"), max_digits=10, decimal_places=2, default=Decimal("0"),
        help_text=_("Le reste est payé par carte bancaire."),
    )
    has_guarantee = models.BooleanField(_("garantie Rakuten"), default=False)
    total = models.DecimalField(_("total"), max_digits=10, decimal_places=2, default=Decimal("0"))
    shipped_at = models.DateTimeField(_("expédiée le"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("livrée le"), null=True, blank=True)
    # Stored so that the sweep compares it with now through an index.
    finalizes_at = models.DateTimeField(_("vente finalisée le"), editable=False)
    finalized_at = models.DateTimeField(_("finalisée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("commande")
        verbose_name_plural = _("commandes")
        ordering = ["-purchased_at", "-id"]
        indexes = [
            # The agents' order list, newest first: a million rows must not be sorted on each page.
            models.Index(fields=["-purchased_at", "-id"], name="order_recent_idx"),
            models.Index(fields=["buyer", "-purchased_at", "-id"], name="order_buyer_recent_idx"),
            models.Index(fields=["seller", "-purchased_at", "-id"], name="order_seller_recent_idx"),
            models.Index(
                fields=["finalizes_at"], name="order_to_finalize_idx",
                condition=Q(status__in=["placed", "shipped", "delivered"]),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(payment_method__in=["card_4x", "card_5x", "card_10x", "card_20x"], shipping_method="express"),
                name="order_no_instalments_with_express",
                violation_error_message=_("Le paiement en plusieurs fois n'est pas possible avec la livraison express."),
            ),
            models.CheckConstraint(
                condition=~Q(payment_method__in=["card_5x", "card_10x", "card_20x"]) | Q(destination="metropolitan"),
                name="order_long_instalments_metropolitan_only",
                violation_error_message=_(
                    "Le paiement en 5, 10 ou 20 fois n'est possible que pour une livraison en France métropolitaine."
                ),
            ),
            models.CheckConstraint(
                condition=Q(wallet_amount=0) | Q(payment_method="wallet"),
                name="order_wallet_amount_only_with_wallet",
                violation_error_message=_("Une part payée par le porte-monnaie suppose le paiement par porte-monnaie."),
            ),
            models.CheckConstraint(condition=Q(wallet_amount__gte=0), name="order_wallet_amount_not_negative"),
        ]

    def __str__(self):
        return self.number

    def save(self, *args, **kwargs):
        if self.purchased_at and not self.finalizes_at:
            self.finalizes_at = sale_closes_at(self.purchased_at)
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.payment_method in self.INSTALMENTS and self.shipping_method == self.Shipping.EXPRESS:
            errors["payment_method"] = _("Le paiement en plusieurs fois n'est pas possible avec la livraison express.")
        elif self.payment_method in self.METROPOLITAN_ONLY and self.destination != self.Destination.METROPOLITAN:
            errors["payment_method"] = _(
                "Le paiement en 5, 10 ou 20 fois n'est possible que pour une livraison en France métropolitaine."
            )
        if self.wallet_amount and self.payment_method != self.Payment.WALLET:
            errors["wallet_amount"] = _("Une part payée par le porte-monnaie suppose le paiement par porte-monnaie.")
        elif self.wallet_amount and not self.pk and self.total and self.wallet_amount > self.total:
            # Only a new order built with its total knows it here; in the admin the total follows the lines being
            # edited, so the lines' formset checks it (orders/forms.py).
            errors["wallet_amount"] = wallet_above_total_message(self.total)
        if errors:
            raise ValidationError(errors)

    @property
    def sale_closes_at(self):
        return sale_closes_at(self.purchased_at)

    def page_url(self) -> str:
        """The order page's path: one reverse() per row of a list, not a {% url %} tag per cell."""
        return reverse("orders:detail", args=[self.number])

    @property
    def is_finalized(self):
        return self.status == self.Status.FINALIZED

    @property
    def sale_is_closed(self):
        """Finalized, or past its six weeks (the sweep may not have recorded it yet): no claim any more."""
        return self.is_finalized or timezone.now() >= self.sale_closes_at

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    @property
    def card_amount(self):
        """What was paid by card besides the wallet."""
        return self.total - self.wallet_amount if self.payment_method == self.Payment.WALLET else self.total


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="order_lines", verbose_name=_("annonce"))
    title = models.CharField(_("article"), max_length=200)
    quantity = models.PositiveIntegerField(_("quantité"), default=1, validators=[MinValueValidator(1)])
    unit_price = models.DecimalField(_("prix unitaire"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("ligne de commande")
        verbose_name_plural = _("lignes de commande")
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gte=1), name="orderline_quantity_positive")]

    def __str__(self):
        return f"{self.quantity} × {self.title}"

    @property
    def amount(self):
        return self.quantity * self.unit_price


DUPLICATE_FINALIZED = "duplicate_finalized"
DUPLICATE_FINALIZED_MESSAGE = _("Une commande n'a qu'une étape « Vente finalisée ».")


class TrackingEvent(models.Model):
    class Kind(models.TextChoices):
        PLACED = "placed", _("Commande passée")
        SHIPPED = "shipped", _("Expédiée")
        DELIVERED = "delivered", _("Livrée")
        FINALIZED = "finalized", _("Vente finalisée")
        CANCELLED = "cancelled", _("Annulée")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="tracking_events")
    kind = models.CharField(_("étape"), max_length=16, choices=Kind.choices)
    at = models.DateTimeField(_("date"))
    carrier = models.CharField(_("transporteur"), max_length=60, blank=True)
    tracking_number = models.CharField(_("numéro de suivi"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("étape de suivi")
        verbose_name_plural = _("étapes de suivi")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["order", "at"], name="tracking_order_at_idx")]
        constraints = [
            models.UniqueConstraint(fields=["order"], condition=Q(kind="finalized"), name="one_finalized_event_per_order",
                                    violation_error_code=DUPLICATE_FINALIZED,
                                    violation_error_message=DUPLICATE_FINALIZED_MESSAGE),
        ]

    def __str__(self):
        return f"{self.order} — {self.get_kind_display()}"


class OrderMessage(models.Model):
    """A buyer–seller message about an order, before (or without) a claim."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(_("envoyé le"))
    read_at = models.DateTimeField(_("lu le"), null=True, blank=True)

    class Meta:
        verbose_name = _("message sur une commande")
        verbose_name_plural = _("messages sur les commandes")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["order", "created_at"], name="ordermessage_order_idx")]

    def __str__(self):
        return f"{self.order} — {self.created_at:%Y-%m-%d %H:%M}"


class NumberSequence(models.Model):
    """The last number given for a prefix and year (orders RK-, help-desk requests SC-)."""

    prefix = models.CharField(max_length=8)
    year = models.PositiveIntegerField()
    last = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="one_sequence_per_prefix_year")]

    def __str__(self):
        return f"{self.prefix}-{self.year}: {self.last}"


class Refund(models.Model):
    """Money given back to a buyer for an order: to the original payment method or to the porte-monnaie.

    Written only by orders/payments.py. The idempotency key goes to the payment provider with every attempt,
    so a retried execution never pays twice.
    """

    class Destination(models.TextChoices):
        CARD = "card", _("Moyen de paiement d'origine")
        WALLET = "wallet", _("Porte-monnaie")

    class Status(models.TextChoices):
        TO_PAY = "to_pay", _("En cours")
        PAID = "paid", _("Effectué")

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="refunds", verbose_name=_("commande"))
    claim = models.ForeignKey("claims.Claim", on_delete=models.PROTECT, null=True, blank=True, related_name="refunds",
                              verbose_name=_("réclamation"))
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="refunds",
                              verbose_name=_("acheteur"))
    amount = models.DecimalField(_("montant"), max_digits=10, decimal_places=2)
    destination = models.CharField(_("remboursé sur"), max_length=8, choices=Destination.choices)
    status = models.CharField(_("statut"), max_length=8, choices=Status.choices, default=Status.TO_PAY)
    idempotency_key = models.UUIDField(_("clé d'idempotence"), default=uuid.uuid4, unique=True, editable=False)
    provider = models.CharField(_("prestataire de paiement"), max_length=20, blank=True)
    provider_reference = models.CharField(_("référence du paiement"), max_length=80, blank=True)
    attempts = models.PositiveIntegerField(_("tentatives"), default=0)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    # When the sweep should try the provider again; empty while an agent has to pay it by hand.
    next_attempt_at = models.DateTimeField(_("prochaine tentative"), null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"))
    paid_at = models.DateTimeField(_("effectué le"), null=True, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("marqué payé par"))

    class Meta:
        verbose_name = _("remboursement")
        verbose_name_plural = _("remboursements")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive"),
            models.CheckConstraint(condition=Q(status="to_pay") | Q(paid_at__isnull=False), name="refund_paid_has_date"),
        ]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=Q(status="to_pay"), name="refund_retry_idx"),
            models.Index(fields=["order", "status"], name="refund_order_idx"),
        ]

    def __str__(self):
        return f"{self.order} — {money(self.amount)} ({self.get_status_display()})"

    @property
    def is_paid(self):
        return self.status == self.Status.PAID

    @property
    def to_wallet(self):
        return self.destination == self.Destination.WALLET


class WalletEntry(models.Model):
    """One line of a buyer's porte-monnaie: a credit (positive) or a debit (negative). The balance is their sum."""

    class Kind(models.TextChoices):
        REFUND = "refund", _("Remboursement")
        PAYMENT = "payment", _("Paiement d'une commande")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="wallet_entries")
    kind = models.CharField(_("opération"), max_length=8, choices=Kind.choices)
    amount = models.DecimalField(_("montant"), max_digits=10, decimal_places=2)
    # One credit per refund, whatever runs twice: the database refuses a second one.
    refund = models.OneToOneField(Refund, on_delete=models.PROTECT, null=True, blank=True, related_name="wallet_entry")
    order = models.ForeignKey(Order, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("date"))

    class Meta:
        verbose_name = _("opération du porte-monnaie")
        verbose_name_plural = _("opérations du porte-monnaie")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at", "-id"], name="wallet_user_recent_idx")]
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="wallet_entry_not_zero")]

    def __str__(self):
        return f"{self.user} {money(self.amount)}"


class Payout(models.Model):
    """What the seller is owed for one order: held while the sale may still be claimed, then to be paid, then paid.

    Written only by orders/payouts.py.
    """

    class Status(models.TextChoices):
        HELD = "held", _("Bloqué")
        TO_PAY = "to_pay", _("À verser")
        PAID = "paid", _("Versé")

    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="payout", verbose_name=_("commande"))
    seller = models.ForeignKey(SellerProfile, on_delete=models.PROTECT, related_name="payouts", verbose_name=_("vendeur"))
    # The order's total less its refunds, lowered in the same transaction as each refund.
    amount = models.DecimalField(_("montant"), max_digits=10, decimal_places=2)
    status = models.CharField(_("statut"), max_length=8, choices=Status.choices, default=Status.HELD)
    released_at = models.DateTimeField(_("débloqué le"), null=True, blank=True)
    paid_at = models.DateTimeField(_("versé le"), null=True, blank=True)
    reference = models.CharField(_("référence du virement"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("versement au vendeur")
        verbose_name_plural = _("versements aux vendeurs")
        indexes = [models.Index(fields=["seller", "status"], name="payout_seller_status_idx")]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="payout_amount_not_negative")]

    def __str__(self):
        return f"{self.order} — {money(self.amount)} ({self.get_status_display()})"

    @property
    def is_held(self):
        return self.status == self.Status.HELD

    @property
    def is_to_pay(self):
        return self.status == self.Status.TO_PAY
