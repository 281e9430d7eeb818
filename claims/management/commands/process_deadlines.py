"""Operators' sweep: the same code as the `claims.sweep` task, run now, or only planned with --dry-run."""
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from claims import deadlines

# (plan attribute, result attribute, what was done, what would be done)
STEPS = (
    ("take_over", "taken_over", "claims taken over by support", "overdue claims to take over"),
    ("remind", "reminded", "sellers reminded of their deadline", "sellers to remind"),
    ("finalize", "finalized", "orders finalized", "orders to finalize"),
    ("emails", "emails_sent", "pending e-mails sent", "pending e-mails to send"),
)


def parse_now(value: str) -> datetime:
    """An ISO 8601 instant with its offset; a naive one is read in Paris time."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--now: not an ISO 8601 date and time: {value!r}") from None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class Command(BaseCommand):
    help = "Run one sweep of the claim and order deadlines now (takeovers, reminders, finalization, e-mails)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what a sweep would do, change nothing.")
        parser.add_argument("--now", help='Sweep as of this instant, e.g. "2026-12-01T10:00:00+01:00".')
        parser.add_argument("--batch-size", type=int, default=deadlines.BATCH_SIZE, help="Rows per transaction.")

    def handle(self, *args, dry_run=False, now=None, batch_size=deadlines.BATCH_SIZE, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        moment = parse_now(now) if now else timezone.now()
        if dry_run:
            self.print_plan(deadlines.plan(now=moment), moment)
            return
        result = deadlines.sweep(now=moment, batch_size=batch_size)
        self.stdout.write(f"Sweep as of {moment.isoformat()}:")
        for _plan_name, name, label, _plan_label in STEPS:
            self.stdout.write(f"  {getattr(result, name):>8}  {label}")
        self.stdout.write(f"  {result.uploads_purged:>8}  abandoned wizard uploads removed")
        self.stdout.write(f"  {result.surveys_sent:>8}  satisfaction questions e-mailed")

    def print_plan(self, plan, moment):
        self.stdout.write(f"Dry run as of {moment.isoformat()}: nothing is changed.")
        for name, _result_name, _label, label in STEPS:
            step = getattr(plan, name)
            line = f"  {step.count:>8}  {label}"
            if step.first_ids:
                more = ", …" if step.count > len(step.first_ids) else ""
                line += f" (ids {', '.join(str(pk) for pk in step.first_ids)}{more})"
            self.stdout.write(line)
