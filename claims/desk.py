"""The admin's front page: the day's work as counts, each with its oldest item's age and a link to its list.

Every counter is one `DeskCounter` in `COUNTERS`. Counters on the same model are computed together, in one
aggregate query (a filtered COUNT and a filtered MIN per counter), so the desk costs one query per model
whatever the number of rows. To add a counter (appeals overdue, chats waiting…), append a `DeskCounter`
to `COUNTERS` where the model is defined, or in `register()`; nothing else changes.
"""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils.translation import ngettext

from helpdesk.models import ContactRequest

from .business_days import PARIS
from .models import Claim


@dataclass(frozen=True)
class DeskCounter:
    """One line of the desk: which rows (`condition(user, now)`), since when they wait, and where they are listed."""

    key: str
    model: type
    condition: Callable  # (user, now) -> Q
    since_field: str
    label: Callable  # (count) -> str, translated
    url: Callable  # () -> str
    # The permission the reader needs to see the line (the list it links to asks for it too).
    permission: str = ""

    def allowed(self, user) -> bool:
        return user.has_perm(self.permission or f"{self.model._meta.app_label}.view_{self.model._meta.model_name}")


@dataclass(frozen=True)
class DeskEntry:
    key: str
    label: str
    count: int
    url: str
    oldest: datetime | None
    now: datetime

    @property
    def age(self) -> timedelta | None:
        return self.now - self.oldest if self.oldest else None


def paris_day(now: datetime) -> tuple[datetime, datetime]:
    """The start and the end of the Paris day holding `now`."""
    day = now.astimezone(PARIS).date()
    start = datetime.combine(day, time.min, tzinfo=PARIS)
    return start, start + timedelta(days=1)


def _deadline_today(user, now):
    start, end = paris_day(now)
    return Q(status=Claim.Status.WITH_SELLER, seller_deadline__gte=start, seller_deadline__lt=end)


def _changelist(model, query: str) -> Callable:
    def url():
        opts = model._meta
        return f"{reverse(f'admin:{opts.app_label}_{opts.model_name}_changelist')}?{query}"
    return url


COUNTERS: list[DeskCounter] = [
    DeskCounter(
        key="claims_unassigned", model=Claim,
        condition=lambda user, now: Q(status=Claim.Status.WITH_SUPPORT, assigned_to__isnull=True),
        since_field="taken_over_at",
        label=lambda n: ngettext("%(count)s dossier non attribué", "%(count)s dossiers non attribués", n) % {"count": n},
        url=_changelist(Claim, "file=unassigned"),
    ),
    DeskCounter(
        key="claims_mine", model=Claim,
        condition=lambda user, now: Q(status=Claim.Status.WITH_SUPPORT, assigned_to=user),
        since_field="taken_over_at",
        label=lambda n: ngettext("%(count)s dossier qui m'est attribué", "%(count)s dossiers qui me sont attribués",
                                 n) % {"count": n},
        url=_changelist(Claim, "file=mine"),
    ),
    DeskCounter(
        key="claims_deadline_today", model=Claim, condition=_deadline_today, since_field="opened_at",
        label=lambda n: ngettext("%(count)s réclamation dont le délai du vendeur finit aujourd'hui",
                                 "%(count)s réclamations dont le délai du vendeur finit aujourd'hui", n) % {"count": n},
        url=_changelist(Claim, "retard=today"),
    ),
    DeskCounter(
        key="requests_new", model=ContactRequest,
        condition=lambda user, now: Q(status=ContactRequest.Status.NEW), since_field="created_at",
        label=lambda n: ngettext("%(count)s nouvelle demande", "%(count)s nouvelles demandes", n) % {"count": n},
        url=_changelist(ContactRequest, "status__exact=new"),
    ),
    DeskCounter(
        key="requests_waiting_us", model=ContactRequest,
        condition=lambda user, now: Q(status=ContactRequest.Status.IN_PROGRESS), since_field="updated_at",
        label=lambda n: ngettext("%(count)s demande qui attend notre réponse",
                                 "%(count)s demandes qui attendent notre réponse", n) % {"count": n},
        url=_changelist(ContactRequest, "status__exact=in_progress"),
    ),
]


def register(counter: DeskCounter, *, before: str | None = None) -> None:
    """Add a counter to the desk (once), at the end or before the counter named `before`."""
    if any(existing.key == counter.key for existing in COUNTERS):
        return
    keys = [existing.key for existing in COUNTERS]
    COUNTERS.insert(keys.index(before) if before in keys else len(COUNTERS), counter)


def desk_entries(*, user, now: datetime, counters=None) -> list[DeskEntry]:
    """The desk's lines the user may see, in order: one aggregate query per model."""
    counters = [counter for counter in (COUNTERS if counters is None else counters) if counter.allowed(user)]
    by_model: dict[type, list[DeskCounter]] = {}
    for counter in counters:
        by_model.setdefault(counter.model, []).append(counter)
    figures = {}
    for model, group in by_model.items():
        conditions = {counter.key: counter.condition(user, now) for counter in group}
        any_condition = Q()
        for condition in conditions.values():
            any_condition |= condition
        aggregates = {}
        for counter in group:
            aggregates[f"{counter.key}__n"] = Count("pk", filter=conditions[counter.key])
            aggregates[f"{counter.key}__min"] = Min(counter.since_field, filter=conditions[counter.key])
        figures.update(model._default_manager.filter(any_condition).aggregate(**aggregates))
    return [
        DeskEntry(key=counter.key, label=counter.label(figures[f"{counter.key}__n"]),
                  count=figures[f"{counter.key}__n"], url=counter.url(), oldest=figures[f"{counter.key}__min"],
                  now=now)
        for counter in counters
    ]
