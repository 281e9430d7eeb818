"""E-mail outbox delivery shared by claim notifications and help-desk e-mails.

A row is the outbox entry: a sender leases it with a conditional update (so two senders never send
the same e-mail), sends, and records success, or the failure with an exponential backoff.
"""
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# A sender holds a row this long before another sender may try it again.
SEND_LEASE = timedelta(minutes=5)


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: 1, 2, 4 … minutes, capped at 2 hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 120))


@dataclass(frozen=True)
class Outbox:
    """Where an outbox keeps its delivery state: the model and the names of its fields."""

    model: type
    statuses: type  # TextChoices with PENDING, SENT and FAILED
    status: str
    attempts: str
    next_attempt_at: str
    sent_at: str
    select_related: tuple[str, ...] = ()

    def _update(self, pk: int, **fields) -> int:
        return self.model.objects.filter(pk=pk).update(**fields)

    def deliver(self, *, pk: int, now: datetime, compose) -> bool:
        """Send one pending row if nobody else holds it; True once sent. `compose(row)` gives (subject, body, to)."""
        claimed = self.model.objects.filter(
            pk=pk, **{self.status: self.statuses.PENDING, f"{self.next_attempt_at}__lte": now}
        ).update(**{self.next_attempt_at: now + SEND_LEASE})
        if not claimed:
            return False
        row = self.model.objects.select_related(*self.select_related).get(pk=pk)
        attempts = getattr(row, self.attempts) + 1
        statuses = self.statuses
        try:
            message = compose(row)
            if message is not None:
                subject, body, to = message
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
        except Exception:
            status = statuses.FAILED if attempts >= MAX_ATTEMPTS else statuses.PENDING
            self._update(pk, **{self.attempts: attempts, self.status: status,
                                self.next_attempt_at: now + retry_delay(attempts)})
            logger.exception("E-mail %s #%s failed (attempt %s)", self.model.__name__, pk, attempts)
            raise
        self._update(pk, **{self.status: statuses.SENT, self.sent_at: timezone.now(), self.attempts: attempts})
        return True

    def deliver_many(self, *, pks, now: datetime, compose) -> int:
        """Send each row of a list; a failure is recorded on its row and does not stop the others."""
        sent = 0
        for pk in pks:
            try:
                sent += self.deliver(pk=pk, now=now, compose=compose)
            except Exception:  # noqa: BLE001 — recorded on the row with its next attempt
                continue
        return sent
