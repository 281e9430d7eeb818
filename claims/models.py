"""Claims, their timeline, thread, proposals, attachments and the notification outbox.

Fields and choices only: every change of a claim's state is written by claims/domain.py.
"""
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils.translation import gettext_lazy as _

from orders.models import Order, OrderLine, SellerProfile
from rakuten_portal.stored_files import StoredFile


class Claim(models.Model):
    class Status(models.TextChoices):
        WITH_SELLER = "with_seller", _("En cours avec le vendeur")
        WITH_SUPPORT = "with_support", _("Pris en charge par le service client Rakuten")
        SETTLED = "settled", _("Résolue à l'amiable")
        WITHDRAWN = "withdrawn", _("Annulée par l'acheteur")
        DECIDED = "decided", _("Décision du service client")
        RETURNING = "returning", _("Retour de l'article en cours")
        RETURN_LAPSED = "return_lapsed", _("Clôturée faute de retour de l'article")

    # A return in progress is still open: it holds the seller's payout and blocks a second claim.
    OPEN_STATUSES = (Status.WITH_SELLER, Status.WITH_SUPPORT, Status.RETURNING)

    class Reason(models.TextChoices):
        DAMAGED = "damaged", _("Article endommagé ou qui ne fonctionne pas")
        DIFFERENT = "different", _("Article différent de la commande")
        COUNTERFEIT = "counterfeit", _("Produit contrefait")
        NOT_RECEIVED = "not_received", _("Article non reçu")
        OTHER = "other", _("Autre problème")

    class OtherKind(models.TextChoices):
        SURTAX = "surtax", _("Surtaxe payée à la livraison")
        MISSING_ITEMS = "missing_items", _("Je n'ai pas reçu tous les articles de ce vendeur")
        OTHER = "other", _("Autre")

    class Decision(models.TextChoices):
        REFUND_FULL = "refund_full", _("Remboursement intégral de l'acheteur")
        REFUND_PARTIAL = "refund_partial", _("Remboursement partiel de l'acheteur")
        REPLACE = "replace", _("Remplacement de l'article")
        SELLER_FAVOUR = "seller_favour", _("Clôture en faveur du vendeur")

    class WantedOutcome(models.TextChoices):
        REFUND = "refund", _("Un remboursement")
        REPLACEMENT = "replacement", _("Un remplacement de l'article")
        PARTIAL_REFUND = "partial_refund", _("Un remboursement partiel (rabais)")
        UNSURE = "unsure", _("Je ne sais pas")

    class WithdrawReason(models.TextChoices):
        ARRANGEMENT = "arrangement", _("Nous avons trouvé un arrangement")
        SOLVED = "solved", _("Le problème est résolu")
        OTHER = "other", _("Autre raison")

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="claims", verbose_name=_("commande"))
    # Copied from the order so that the scoped lists filter on one indexed table.
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="claims", verbose_name=_("acheteur"))
    seller = models.ForeignKey(SellerProfile, on_delete=models.PROTECT, related_name="claims", verbose_name=_("vendeur"))
    reason = models.CharField(_("motif"), max_length=16, choices=Reason.choices)
    other_kind = models.CharField(_("nature du problème"), max_length=16, choices=OtherKind.choices, blank=True)
    description = models.TextField(_("description"), max_length=5000)
    received_reference = models.CharField(_("référence de l'article reçu"), max_length=80, blank=True)
    wanted_outcome = models.CharField(_("solution souhaitée"), max_length=16, choices=WantedOutcome.choices, blank=True)
    # "Je certifie ne pas avoir reçu ce colis": asked for "not received" when the carrier says it was delivered.
    sworn_not_received = models.BooleanField(_("non-réception certifiée"), default=False)
    items = models.ManyToManyField(OrderLine, related_name="claims", blank=True, verbose_name=_("articles concernés"))
    status = models.CharField(_("statut"), max_length=16, choices=Status.choices, default=Status.WITH_SELLER)
    has_guarantee = models.BooleanField(_("garantie Rakuten"), default=False)
    opened_at = models.DateTimeField(_("ouverte le"))
    seller_deadline = models.DateTimeField(_("date limite du vendeur"))
    reminder_at = models.DateTimeField(_("rappel au vendeur le"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True)
    extension_requested_at = models.DateTimeField(_("délai supplémentaire demandé le"), null=True, blank=True)
    taken_over_at = models.DateTimeField(_("prise en charge le"), null=True, blank=True)
    # The seller's first message or proposal: the sellers' records and the reports measure from it.
    seller_answered_at = models.DateTimeField(_("première réponse du vendeur le"), null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="assigned_claims",
        verbose_name=_("agent"), limit_choices_to={"is_staff": True},
    )
    closed_at = models.DateTimeField(_("clôturée le"), null=True, blank=True)
    # Stored when the claim ends (claims/durations.py), so that the reports read the durations from an index
    # instead of computing two calendar look-ups per ended claim: business days from the Paris date of the
    # opening (of the takeover) to that of the end (of the decision); seconds to the seller's first answer.
    end_business_days = models.PositiveSmallIntegerField(_("jours ouvrés de l'ouverture à la fin"), null=True,
                                                         blank=True, editable=False)
    decision_business_days = models.PositiveSmallIntegerField(_("jours ouvrés de la prise en charge à la décision"),
                                                              null=True, blank=True, editable=False)
    seller_answer_seconds = models.PositiveIntegerField(_("délai de première réponse du vendeur (secondes)"),
                                                        null=True, blank=True, editable=False)
    # Support stepped in early: the buyer asked for it, or the seller refused the claim outright.
    support_requested_at = models.DateTimeField(_("service client appelé le"), null=True, blank=True)
    seller_refused_at = models.DateTimeField(_("refusée par le vendeur le"), null=True, blank=True)
    appealed_at = models.DateTimeField(_("décision contestée le"), null=True, blank=True)
    withdraw_reason = models.CharField(_("raison de l'annulation"), max_length=16, choices=WithdrawReason.choices, blank=True)
    decision = models.CharField(_("décision"), max_length=16, choices=Decision.choices, blank=True)
    decision_amount = models.DecimalField(_("montant remboursé"), max_digits=10, decimal_places=2, null=True, blank=True)
    decision_reason = models.TextField(_("motif de la décision"), blank=True)
    # The wizard's one-time token: a second submit of the same wizard finds the claim it already made.
    submission_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The seller space's order, stored by the database itself so that one index serves the sort and the
    # LIMIT: with the seller (0), with support (1), closed (2); open claims by their deadline.
    dashboard_rank = models.GeneratedField(
        expression=Case(When(status="with_seller", then=Value(0)), When(status="with_support", then=Value(1)),
                        default=Value(2)),
        output_field=models.PositiveSmallIntegerField(), db_persist=True,
    )
    open_deadline = models.GeneratedField(
        expression=Case(When(status__in=["with_seller", "with_support"], then=F("seller_deadline"))),
        output_field=models.DateTimeField(null=True), db_persist=True,
    )

    class Meta:
        verbose_name = _("réclamation")
        verbose_name_plural = _("réclamations")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["order"], condition=Q(status__in=["with_seller", "with_support", "returning"]), name="one_open_claim_per_order",
                violation_error_message=_("Une réclamation est déjà en cours pour cette commande."),
            ),
            models.CheckConstraint(condition=Q(decision="") | Q(status="decided"), name="claim_decision_only_when_decided"),
            models.CheckConstraint(
                condition=~Q(reason="other") | ~Q(other_kind=""), name="claim_other_reason_has_kind"
            ),
        ]
        indexes = [
            # The sweep: overdue claims still with the seller; idle sweeps hit an empty index range.
            models.Index(fields=["seller_deadline"], condition=Q(status="with_seller"), name="claim_due_idx"),
            models.Index(
                fields=["reminder_at"], condition=Q(status="with_seller", reminded_at__isnull=True), name="claim_reminder_idx"
            ),
            models.Index(fields=["seller", "status", "seller_deadline"], name="claim_seller_dashboard_idx"),
            # The seller space's page: the seller's claims in display order, read 20 at a time from the index.
            models.Index(F("seller"), F("dashboard_rank"), F("open_deadline"), F("closed_at").desc(),
                         F("id").desc(), name="claim_seller_sort_idx"),
            models.Index(fields=["buyer", "-opened_at"], name="claim_buyer_recent_idx"),
            models.Index(fields=["status", "taken_over_at"], name="claim_support_queue_idx"),
            # Endings by week and their durations (reports: an index-only scan), the satisfaction question after
            # a claim ends.
            models.Index(fields=["closed_at", "status", "end_business_days", "decision_business_days"],
                         name="claim_closed_idx"),
            # Records (90 days per seller) and reports (claims opened per week, the sellers' first answers).
            models.Index(fields=["seller", "opened_at", "seller_answer_seconds"], name="claim_seller_opened_idx"),
            models.Index(fields=["opened_at", "reason", "seller_answer_seconds"], name="claim_opened_idx"),
            # Reports: the sellers' first answers by week, then the exact delays of a few ten-minute buckets.
            models.Index(fields=["seller_answered_at", "seller_answer_seconds"], name="claim_seller_answered_idx"),
            models.Index(fields=["seller_answer_seconds", "seller_answered_at"], name="claim_seller_delay_idx"),
        ]

    def __str__(self):
        return f"{self.order.number} — {self.get_reason_display()}"

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    @property
    def is_with_seller(self):
        return self.status == self.Status.WITH_SELLER

    @property
    def is_with_support(self):
        return self.status == self.Status.WITH_SUPPORT

    @property
    def is_decided(self):
        return self.status == self.Status.DECIDED

    @property
    def is_closed(self):
        return not self.is_open

    @property
    def is_returning(self):
        return self.status == self.Status.RETURNING

    @property
    def is_return_lapsed(self):
        return self.status == self.Status.RETURN_LAPSED

    @property
    def is_appealed(self):
        return self.appealed_at is not None

    @property
    def may_extend(self):
        """A guaranteed "not received" claim may have its deadline extended once."""
        return (
            self.is_with_seller and self.has_guarantee and self.reason == self.Reason.NOT_RECEIVED
            and self.extension_requested_at is None
        )


class ClaimEvent(models.Model):
    """One step of a claim's timeline, shown to both parties."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Réclamation ouverte")
        MESSAGE = "message", _("Nouveau message")
        PROPOSAL = "proposal", _("Proposition du vendeur")
        ACCEPTED = "accepted", _("Proposition acceptée")
        DECLINED = "declined", _("Proposition refusée")
        WITHDRAWN = "withdrawn", _("Réclamation annulée par l'acheteur")
        EXTENDED = "extended", _("Délai supplémentaire accordé au vendeur")
        REMINDED = "reminded", _("Rappel envoyé au vendeur")
        TAKEN_OVER = "taken_over", _("Pris en charge par le service client Rakuten")
        ASSIGNED = "assigned", _("Dossier attribué à un conseiller")
        DECIDED = "decided", _("Décision du service client")
        REFUND = "refund", _("Remboursement prévu")
        REFUND_PAID = "refund_paid", _("Remboursement effectué")
        SUPPORT_ASKED = "support_asked", _("Intervention du service client demandée")
        SELLER_REFUSED = "seller_refused", _("Réclamation refusée par le vendeur")
        APPEALED = "appealed", _("Décision contestée")
        APPEAL_DECIDED = "appeal_decided", _("Décision définitive après contestation")
        RETURN_STARTED = "return_started", _("Retour de l'article à effectuer")
        RETURN_REMINDED = "return_reminded", _("Rappel : retour à expédier")
        RETURN_SHIPPED = "return_shipped", _("Retour expédié par l'acheteur")
        RETURN_RECEIVED = "return_received", _("Retour reçu par le vendeur")
        RETURN_LAPSED = "return_lapsed", _("Clôturée faute de retour de l'article")
        REPLACEMENT_SENT = "replacement_sent", _("Article de remplacement expédié")

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("étape"), max_length=16, choices=Kind.choices)
    at = models.DateTimeField(_("date"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # Automatic acts (the sweep) are recorded under their own name rather than a user.
    automatic = models.BooleanField(default=False)
    detail = models.TextField(_("détail"), blank=True)

    class Meta:
        verbose_name = _("étape de réclamation")
        verbose_name_plural = _("étapes de réclamation")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["claim", "at"], name="claimevent_claim_at_idx")]
        constraints = [
            # A claim is taken over and decided once, whatever runs twice.
            models.UniqueConstraint(
                fields=["claim", "kind"], condition=Q(kind__in=["opened", "taken_over", "decided", "extended", "appealed", "appeal_decided"]),
                name="claimevent_once_per_claim",
            ),
        ]

    def __str__(self):
        return f"{self.claim_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class ClaimMessage(models.Model):
    """A message in the claim's thread; internal notes are for agents only."""

    class Role(models.TextChoices):
        BUYER = "buyer", _("Acheteur")
        SELLER = "seller", _("Vendeur")
        SUPPORT = "support", _("Service client Rakuten")

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("rôle"), max_length=8, choices=Role.choices)
    body = models.TextField(_("message"), max_length=5000)
    internal = models.BooleanField(_("note interne"), default=False)
    created_at = models.DateTimeField(_("envoyé le"))

    class Meta:
        verbose_name = _("message de réclamation")
        verbose_name_plural = _("messages de réclamation")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["claim", "created_at"], name="claimmessage_claim_idx")]

    def __str__(self):
        return f"{self.claim_id} {self.role} {self.created_at:%Y-%m-%d %H:%M}"


class Proposal(models.Model):
    """A solution offered by the seller, waiting for the buyer's answer."""

    class Kind(models.TextChoices):
        EXCHANGE = "exchange", _("Échange de l'article")
        PARTIAL_REFUND = "partial_refund", _("Remboursement partiel (rabais)")
        FULL_REFUND = "full_refund", _("Remboursement intégral")
        RETURN_REFUND = "return_refund", _("Retour de l'article puis remboursement")
        SHIPMENT_PROOF = "shipment_proof", _("Preuve d'expédition")

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente de votre réponse")
        ACCEPTED = "accepted", _("Acceptée")
        DECLINED = "declined", _("Refusée")
        SUPERSEDED = "superseded", _("Remplacée par une nouvelle proposition")
        LAPSED = "lapsed", _("Caduque")

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="proposals")
    kind = models.CharField(_("proposition"), max_length=16, choices=Kind.choices)
    status = models.CharField(_("statut"), max_length=12, choices=Status.choices, default=Status.PENDING)
    amount = models.DecimalField(_("montant"), max_digits=10, decimal_places=2, null=True, blank=True)
    carrier = models.CharField(_("transporteur"), max_length=60, blank=True)
    tracking_number = models.CharField(_("numéro de suivi"), max_length=60, blank=True)
    message = models.TextField(_("message"), max_length=5000, blank=True)
    # A return (then refund, or exchange): where to send the item and who pays the postage.
    return_address = models.TextField(_("adresse de retour"), max_length=500, blank=True)
    return_postage = models.CharField(_("frais de retour"), max_length=8, choices=[
        ("seller", _("à la charge du vendeur")), ("buyer", _("à la charge de l'acheteur"))], blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("proposée le"))
    answered_at = models.DateTimeField(_("réponse le"), null=True, blank=True)

    class Meta:
        verbose_name = _("proposition")
        verbose_name_plural = _("propositions")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["claim"], condition=Q(status="pending"), name="one_pending_proposal_per_claim"),
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__gt=0), name="proposal_amount_positive"),
        ]

    def __str__(self):
        return f"{self.claim_id} {self.kind} ({self.status})"

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING

    @property
    def postage_by_seller(self):
        return self.return_postage == "seller"

    @property
    def needs_return(self):
        return self.kind in (self.Kind.RETURN_REFUND, self.Kind.EXCHANGE)


class Appeal(models.Model):
    """A party contests an agent's decision, once: the claim goes back to the queue; the next decision is final."""

    claim = models.OneToOneField(Claim, on_delete=models.CASCADE, related_name="appeal")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("rôle"), max_length=8, choices=ClaimMessage.Role.choices)
    reason = models.TextField(_("motif de la contestation"), max_length=5000)
    created_at = models.DateTimeField(_("contestée le"))
    # The first decision, kept as it was, since the claim's own fields will hold the final one.
    first_decision = models.CharField(_("première décision"), max_length=16, choices=Claim.Decision.choices)
    first_decision_amount = models.DecimalField(_("montant de la première décision"), max_digits=10, decimal_places=2,
                                                null=True, blank=True)
    first_decision_reason = models.TextField(_("motif de la première décision"), blank=True)
    first_decided_at = models.DateTimeField(_("première décision le"))
    first_agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("conseiller de la première décision"))
    decided_at = models.DateTimeField(_("décision définitive le"), null=True, blank=True)

    class Meta:
        verbose_name = _("contestation")
        verbose_name_plural = _("contestations")

    def __str__(self):
        return f"{self.claim_id} ({self.get_role_display()})"


class Return(models.Model):
    """The item going back to the seller after an accepted return-then-refund or exchange (claims/returns.py)."""

    claim = models.OneToOneField(Claim, on_delete=models.CASCADE, related_name="item_return")
    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="item_return")
    address = models.TextField(_("adresse de retour"), max_length=500)
    postage = models.CharField(_("frais de retour"), max_length=8)
    # Where the refund goes once the seller confirms receipt (chosen by the buyer when accepting).
    refund_to = models.CharField(_("remboursement sur"), max_length=8, blank=True)
    ship_by = models.DateTimeField(_("à expédier avant le"))
    reminder_at = models.DateTimeField(_("rappel à l'acheteur le"))
    reminded_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True)
    carrier = models.CharField(_("transporteur"), max_length=60, blank=True)
    tracking_number = models.CharField(_("numéro de suivi"), max_length=60, blank=True)
    shipped_at = models.DateTimeField(_("expédié le"), null=True, blank=True)
    confirm_by = models.DateTimeField(_("réception à confirmer avant le"), null=True, blank=True)
    received_at = models.DateTimeField(_("reçu le"), null=True, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    replacement_carrier = models.CharField(_("transporteur du remplacement"), max_length=60, blank=True)
    replacement_tracking = models.CharField(_("suivi du remplacement"), max_length=60, blank=True)
    replacement_shipped_at = models.DateTimeField(_("remplacement expédié le"), null=True, blank=True)

    class Meta:
        verbose_name = _("retour d'article")
        verbose_name_plural = _("retours d'articles")
        indexes = [
            models.Index(fields=["ship_by"], condition=Q(shipped_at__isnull=True), name="return_ship_by_idx"),
            models.Index(fields=["confirm_by"], condition=Q(shipped_at__isnull=False, received_at__isnull=True),
                         name="return_confirm_by_idx"),
        ]

    def __str__(self):
        return f"{self.claim_id} → {self.address[:30]}"

    @property
    def is_exchange(self):
        return self.proposal.kind == Proposal.Kind.EXCHANGE

    @property
    def postage_by_seller(self):
        return self.postage == "seller"


def attachment_path(instance, filename):
    """Random names, so that a path says nothing and cannot be guessed."""
    from .photos import random_name

    return f"claims/{random_name(filename.rsplit('.', 1)[-1])}"


class Attachment(StoredFile):
    """A re-encoded photo or a PDF receipt, served only through the authorised view."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(ClaimMessage, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    thumbnail = models.FileField(upload_to=attachment_path, max_length=200, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)


class Notification(models.Model):
    """A notice for one user, shown in the site and e-mailed; the row is the outbox until sent."""

    class Kind(models.TextChoices):
        CLAIM_OPENED = "claim_opened", _("Nouvelle réclamation")
        MESSAGE = "message", _("Nouveau message")
        PROPOSAL = "proposal", _("Nouvelle proposition du vendeur")
        ACCEPTED = "accepted", _("Proposition acceptée")
        DECLINED = "declined", _("Proposition refusée")
        WITHDRAWN = "withdrawn", _("Réclamation annulée")
        EXTENDED = "extended", _("Délai supplémentaire")
        REMINDER = "reminder", _("Rappel : votre date limite est aujourd'hui")
        TAKEN_OVER = "taken_over", _("Le service client Rakuten prend le relais")
        DECIDED = "decided", _("Décision du service client")
        ORDER_MESSAGE = "order_message", _("Nouveau message sur une commande")
        REFUND_PAID = "refund_paid", _("Remboursement effectué")
        SUPPORT_ASKED = "support_asked", _("Le service client Rakuten est appelé à intervenir")
        SELLER_REFUSED = "seller_refused", _("Le vendeur refuse la réclamation")
        APPEALED = "appealed", _("Décision contestée")
        RETURN_STARTED = "return_started", _("Retour de l'article à effectuer")
        RETURN_REMINDER = "return_reminder", _("Rappel : expédiez votre retour")
        RETURN_SHIPPED = "return_shipped", _("Retour expédié par l'acheteur")
        RETURN_RECEIVED = "return_received", _("Retour reçu par le vendeur")
        RETURN_LAPSED = "return_lapsed", _("Réclamation clôturée faute de retour")
        REPLACEMENT_SENT = "replacement_sent", _("Article de remplacement expédié")

    class EmailStatus(models.TextChoices):
        PENDING = "pending", _("À envoyer")
        SENT = "sent", _("Envoyé")
        FAILED = "failed", _("Échec définitif")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    email_status = models.CharField(max_length=8, choices=EmailStatus.choices, default=EmailStatus.PENDING)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_next_attempt_at = models.DateTimeField(null=True, blank=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient_idx"),
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread_idx"),
            models.Index(fields=["email_next_attempt_at"], condition=Q(email_status="pending"), name="notification_outbox_idx"),
        ]

    def __str__(self):
        return f"{self.recipient_id} {self.kind}"


class SatisfactionSurvey(models.Model):
    """"How did the resolution go?", asked once after a claim or a help-desk request ends.

    The row is the e-mail's outbox until it is sent (rakuten_portal/outbox.py), then holds the answer.
    Written only by claims/satisfaction.py.
    """

    class EmailStatus(models.TextChoices):
        PENDING = "pending", _("À envoyer")
        SENT = "sent", _("Envoyé")
        FAILED = "failed", _("Échec définitif")

    claim = models.OneToOneField(Claim, on_delete=models.CASCADE, null=True, blank=True, related_name="survey")
    contact_request = models.OneToOneField("helpdesk.ContactRequest", on_delete=models.CASCADE, null=True, blank=True,
                                           related_name="survey")
    email = models.EmailField(_("adresse e-mail"))
    language = models.CharField(_("langue"), max_length=8, default=settings.LANGUAGE_CODE)
    created_at = models.DateTimeField()
    email_status = models.CharField(max_length=8, choices=EmailStatus.choices, default=EmailStatus.PENDING)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_next_attempt_at = models.DateTimeField(null=True, blank=True)
    email_sent_at = models.DateTimeField(_("question envoyée le"), null=True, blank=True)
    answered_at = models.DateTimeField(_("réponse le"), null=True, blank=True)
    satisfied = models.BooleanField(_("satisfait"), null=True, blank=True)
    comment = models.TextField(_("commentaire"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("avis après résolution")
        verbose_name_plural = _("avis après résolution")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(claim__isnull=False, contact_request__isnull=True)
                | Q(claim__isnull=True, contact_request__isnull=False),
                name="survey_one_case",
            ),
        ]
        indexes = [
            models.Index(fields=["email_next_attempt_at"], condition=Q(email_status="pending"), name="survey_outbox_idx"),
            # The reports' weekly satisfaction: an index-only scan.
            models.Index(fields=["answered_at", "satisfied"], name="survey_answered_idx"),
        ]

    def __str__(self):
        return f"survey {self.pk}"

    @property
    def is_answered(self):
        return self.answered_at is not None


class BusinessDay(models.Model):
    """A calendar of Paris business days, so that SQL can count them: `ordinal` is how many business days
    there are from the calendar's first day up to and including `day` (a weekend or holiday repeats the
    previous count). Business days between two dates = the difference of their ordinals.
    Filled by a migration from claims/business_days.py (the holidays library)."""

    day = models.DateField(primary_key=True)
    ordinal = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("jour ouvré")
        verbose_name_plural = _("jours ouvrés")
        ordering = ["day"]

    def __str__(self):
        return f"{self.day} ({self.ordinal})"


class ReportWeek(models.Model):
    """One past Paris week's report figures, rolled up once the week can no longer change (claims/report_weeks.py).
    Derived data: deleted rows are computed again by the next report."""

    week = models.DateField(_("semaine du"), primary_key=True)
    figures = models.JSONField(_("chiffres"))
    rolled_at = models.DateTimeField(_("calculés le"))

    class Meta:
        verbose_name = _("semaine des rapports")
        verbose_name_plural = _("semaines des rapports")
        ordering = ["week"]

    def __str__(self):
        return str(self.week)
