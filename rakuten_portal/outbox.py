"""E-mail outbox delivery shared by claim notifications and help-desk e-mails.

A row is the outbox entry. A sender first leases rows (a transaction that takes due rows under
`skip_locked` and moves their next attempt past the lease), so two senders never send the same e-mail;
then it sends them over one mail connection and records each success, or each failure with an
exponential backoff. Every attempt of a row carries the same Message-ID, so a receiver can tell a
repeat (the server took the message but hung up before answering) from a new e-mail.
"""
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# A sender holds a row this long before another sender may try it again.
SEND_LEASE = timedelta(minutes=5)
# Rows leased at once: one transaction, then their sends; a task works through several such chunks.
LEASE_CHUNK = 50


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: 1, 2, 4 … minutes, capped at 2 hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 120))


def send_mail(subject, body, from_email, recipient_list, *, headers=None, connection=None):
    """Send one e-mail, on the given mail connection if any (Django's send_mail, with headers)."""
    message = EmailMessage(subject, body, from_email, recipient_list, headers=headers)
    return (connection or mailers.default).send_messages([message])


def mail_domain() -> str:
    """The domain of our Message-IDs: the sender's address's."""
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2] or "localhost"


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
    created_at: str = "created_at"

    def _update(self, pk: int, **fields) -> int:
        return self.model.objects.filter(pk=pk).update(**fields)

    def _mark_sent(self, pk: int, *, attempts: int) -> None:
        self._update(pk, **{self.status: self.statuses.SENT, self.sent_at: timezone.now(), self.attempts: attempts})

    def message_id(self, row) -> str:
        """The row's Message-ID, the same at every attempt: its table, id and creation instant."""
        created = getattr(row, self.created_at)
        stamp = int(created.timestamp() * 1_000_000) if created else 0
        return f"<{self.model._meta.label_lower}.{row.pk}.{stamp}@{mail_domain()}>"

    def lease(self, *, now: datetime, limit: int = LEASE_CHUNK, pks=None, due_before: datetime | None = None,
              handed_until: datetime | None = None, until: datetime | None = None) -> list[int]:
        """Take up to `limit` pending rows for one sender; their ids. Due by `due_before` (default now), or handed
        to this sender by `hand_out` (`handed_until`); among `pks` if given. Held until `until` (now + lease)."""
        due = Q(**{f"{self.next_attempt_at}__lte": due_before or now})
        until = until or now + SEND_LEASE
        if handed_until is not None:
            due |= Q(**{self.next_attempt_at: handed_until})
            if until == handed_until:  # the lease must not look like the reservation it replaces
                until += timedelta(microseconds=1)
        if db_connection.vendor != "postgresql":
            return self._lease_row_by_row(due, limit=limit, pks=pks, until=until)
        with transaction.atomic():
            rows = self.model.objects.select_for_update(skip_locked=True).filter(
                due, **{self.status: self.statuses.PENDING})
            if pks is not None:
                rows = rows.filter(pk__in=list(pks))
            ids = list(rows.order_by(self.next_attempt_at).values_list("pk", flat=True)[:limit])
            if ids:
                # The rows are locked and were read due under the lock: all of them are ours.
                self.model.objects.filter(pk__in=ids).update(**{self.next_attempt_at: until})
        return ids

    def _lease_row_by_row(self, due: Q, *, limit: int, pks, until: datetime) -> list[int]:
        # Without row locks (SQLite), each row is taken by its own conditional update: atomic on any database,
        # and no transaction holds the embedded database's lock for the whole chunk.
        rows = self.model.objects.filter(due, **{self.status: self.statuses.PENDING})
        if pks is not None:
            rows = rows.filter(pk__in=list(pks))
        taken = []
        for pk in rows.order_by(self.next_attempt_at).values_list("pk", flat=True)[:limit]:
            if self.model.objects.filter(due, pk=pk, **{self.status: self.statuses.PENDING}).update(
                    **{self.next_attempt_at: until}):
                taken.append(pk)
        return taken

    def hand_out(self, *, now: datetime, due_before: datetime, limit: int) -> tuple[list[int], datetime]:
        """Reserve up to `limit` due rows for one worker's task: (their ids, the instant that names the reservation).

        No other sweep sees them until it passes; the task leases them with `handed_until` set to it."""
        until = now + SEND_LEASE
        return self.lease(now=now, limit=limit, due_before=due_before, until=until), until

    def give_back(self, *, pks, handed_until: datetime, now: datetime) -> int:
        """Undo a reservation whose task could not be queued: the rows are due again."""
        return self.model.objects.filter(pk__in=list(pks), **{self.status: self.statuses.PENDING,
                                                              self.next_attempt_at: handed_until}).update(
            **{self.next_attempt_at: now})

    def deliver(self, *, pk: int, now: datetime, compose) -> bool:
        """Send one pending row if nobody else holds it; True once sent, the send's error raised."""
        if not self.lease(now=now, limit=1, pks=[pk]):
            return False
        sent, error = self._send_leased([pk], now=now, compose=compose)
        if error is not None:
            raise error
        return bool(sent)

    def deliver_many(self, *, pks, now: datetime, compose, handed_until: datetime | None = None) -> int:
        """Send each row of a list, a leased chunk at a time; a failure is recorded on its row, the others go on."""
        pks, sent = list(pks), 0
        for start in range(0, len(pks), LEASE_CHUNK):
            leased = self.lease(now=now, limit=LEASE_CHUNK, pks=pks[start:start + LEASE_CHUNK],
                                handed_until=handed_until)
            sent += self._send_leased(leased, now=now, compose=compose)[0]
            now = max(now, timezone.now())  # a later chunk's lease runs from when it is taken
        return sent

    def drain(self, *, now: datetime, compose, due_before: datetime | None = None, chunks: int = 10,
              chunk_size: int = LEASE_CHUNK) -> int:
        """Lease and send up to `chunks` chunks of due rows, stopping when none is left; how many were sent."""
        sent = 0
        for _ in range(chunks):
            leased = self.lease(now=now, limit=chunk_size, due_before=due_before)
            if not leased:
                break
            sent += self._send_leased(leased, now=now, compose=compose)[0]
            now = max(now, timezone.now())
        return sent

    def _send_leased(self, pks: list[int], *, now: datetime, compose) -> tuple[int, Exception | None]:
        """Send rows this sender leased, over one mail connection; (how many sent, the first error)."""
        if not pks:
            return 0, None
        rows = self.model.objects.select_related(*self.select_related).in_bulk(pks)
        statuses, sent, first_error = self.statuses, 0, None
        started = time.monotonic()
        mailer, opened = mailers.default, False
        quick_commits = _commit_without_waiting_for_the_disk()
        try:
            for position, pk in enumerate(pks):
                if time.monotonic() - started > SEND_LEASE.total_seconds() / 2:
                    # Slow mail server: give the rest back before the lease could run out under us.
                    self.model.objects.filter(pk__in=pks[position:], **{self.status: statuses.PENDING}).update(
                        **{self.next_attempt_at: timezone.now()})
                    break
                row = rows.get(pk)
                if row is None:
                    continue
                attempts = getattr(row, self.attempts) + 1
                try:
                    message = compose(row)
                    if message is not None:
                        subject, body, to = message
                        if not opened:
                            # Opened here, not per message: the backend would close a connection it opened itself.
                            mailer.open()
                            opened = True
                        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to],
                                  headers={"Message-ID": self.message_id(row)}, connection=mailer)
                except Exception as error:  # noqa: BLE001 — recorded on the row with its next attempt
                    status = statuses.FAILED if attempts >= MAX_ATTEMPTS else statuses.PENDING
                    self._update(pk, **{self.attempts: attempts, self.status: status,
                                        self.next_attempt_at: now + retry_delay(attempts)})
                    logger.exception("E-mail %s #%s failed (attempt %s)", self.model.__name__, pk, attempts)
                    first_error = first_error or error
                    _close_quietly(mailer)  # a broken SMTP session is reopened for the next row
                    opened = False
                    continue
                self._mark_sent(pk, attempts=attempts)
                sent += 1
        finally:
            _close_quietly(mailer)
            if quick_commits:
                with db_connection.cursor() as cursor:
                    cursor.execute("RESET synchronous_commit")
        return sent, first_error


def _commit_without_waiting_for_the_disk() -> bool:
    """On PostgreSQL, while a chunk is sent: each 'sent' mark is visible to every sender at once, but its commit
    does not wait for the disk. Only a crash of PostgreSQL itself (not of a worker) could forget the last fraction
    of a second of them, and resend those e-mails under the same Message-ID; waiting per e-mail halves the rate."""
    if db_connection.vendor != "postgresql" or db_connection.in_atomic_block:
        return False
    with db_connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    return True


def _close_quietly(connection) -> None:
    try:
        connection.close()
    except Exception:  # noqa: BLE001 — the server may already have hung up
        logger.debug("Closing the mail connection failed", exc_info=True)
