"""The satisfaction question after a case ends: created and e-mailed by the sweep, answered through a signed link.

A claim that ended settled or decided (not withdrawn) and a closed help-desk request get one survey,
SATISFACTION_DELAY after they ended, unless they ended longer ago than the link would live. The link
carries the survey's id signed with a timestamp (django.core.signing): no login, valid
SATISFACTION_LINK_MAX_AGE, and answered once (a compare-and-set on answered_at).
"""
from datetime import datetime

from django.conf import settings
from django.core import signing
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from helpdesk.models import ContactRequest
from rakuten_portal.outbox import Outbox

from .models import Claim, SatisfactionSurvey

SALT = "claims.satisfaction"
ENDED_FOR_SURVEY = (Claim.Status.SETTLED, Claim.Status.DECIDED)
EMAIL_BATCH_SIZE = 200
COMMENT_MAX_LENGTH = 1000


class SurveyLinkError(Exception):
    """A link that cannot be answered: `kind` is "invalid", "expired" or "answered"."""

    def __init__(self, kind: str, survey=None):
        super().__init__(kind)
        self.kind = kind
        self.survey = survey


def survey_token(survey_id: int) -> str:
    return signing.dumps(survey_id, salt=SALT)


def survey_link(survey_id: int) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("claims:satisfaction", args=[survey_token(survey_id)])


def survey_from_token(token: str) -> SatisfactionSurvey:
    """The survey a link names, if the link is genuine, alive and not used yet."""
    try:
        survey_id = signing.loads(token, salt=SALT, max_age=settings.SATISFACTION_LINK_MAX_AGE)
    except signing.SignatureExpired:
        raise SurveyLinkError("expired") from None
    except signing.BadSignature:
        raise SurveyLinkError("invalid") from None
    survey = SatisfactionSurvey.objects.filter(pk=survey_id).first() if isinstance(survey_id, int) else None
    if survey is None:
        raise SurveyLinkError("invalid")
    if survey.is_answered:
        raise SurveyLinkError("answered", survey)
    return survey


def survey_answer(*, token: str, satisfied: bool, comment: str, now: datetime) -> SatisfactionSurvey:
    """Record the answer once; a second answer through the same link is refused."""
    survey = survey_from_token(token)
    comment = (comment or "").strip()[:COMMENT_MAX_LENGTH]
    changed = SatisfactionSurvey.objects.filter(pk=survey.pk, answered_at__isnull=True).update(
        answered_at=now, satisfied=satisfied, comment=comment)
    if not changed:
        raise SurveyLinkError("answered", survey)
    survey.answered_at, survey.satisfied, survey.comment = now, satisfied, comment
    return survey


def surveys_create_due(*, now: datetime) -> int:
    """One survey per case ended SATISFACTION_DELAY ago (and not so long ago that the link would be dead)."""
    due, oldest = now - settings.SATISFACTION_DELAY, now - settings.SATISFACTION_LINK_MAX_AGE
    claims = (Claim.objects.filter(status__in=ENDED_FOR_SURVEY, closed_at__lte=due, closed_at__gt=oldest)
              .exclude(buyer__email="")
              .exclude(Exists(SatisfactionSurvey.objects.filter(claim=OuterRef("pk"))))
              .values_list("pk", "buyer__email", "buyer__preferences__language"))
    requests = (ContactRequest.objects.filter(status=ContactRequest.Status.CLOSED, updated_at__lte=due,
                                              updated_at__gt=oldest)
                .exclude(Exists(SatisfactionSurvey.objects.filter(contact_request=OuterRef("pk"))))
                .values_list("pk", "email", "language"))
    rows = [SatisfactionSurvey(claim_id=pk, email=email, language=language or settings.LANGUAGE_CODE,
                               created_at=now, email_next_attempt_at=now) for pk, email, language in claims]
    rows += [SatisfactionSurvey(contact_request_id=pk, email=email, language=language or settings.LANGUAGE_CODE,
                                created_at=now, email_next_attempt_at=now) for pk, email, language in requests]
    # A second sweep at the same instant collides on the one-to-one columns and adds nothing.
    created = SatisfactionSurvey.objects.bulk_create(rows, ignore_conflicts=True)
    return len(created)


def render_email(survey: SatisfactionSurvey) -> tuple[str, str]:
    """Subject and body in the customer's language."""
    with translation.override(survey.language):
        case = survey.claim.order.number if survey.claim_id else survey.contact_request.reference
        body = render_to_string("claims/email/satisfaction.txt", {
            "survey": survey, "case": case, "link": survey_link(survey.pk),
            "days": settings.SATISFACTION_LINK_MAX_AGE.days,
        })
        return _("Comment s'est passée la résolution ?"), body


def compose(survey: SatisfactionSurvey):
    subject, body = render_email(survey)
    return subject, body, survey.email


OUTBOX = Outbox(model=SatisfactionSurvey, statuses=SatisfactionSurvey.EmailStatus, status="email_status",
                attempts="email_attempts", next_attempt_at="email_next_attempt_at", sent_at="email_sent_at",
                select_related=("claim__order", "contact_request"))


def surveys_send_due(*, now: datetime, limit: int = EMAIL_BATCH_SIZE) -> int:
    """E-mail a bounded number of pending surveys; the next sweep sends the rest, and retries failures."""
    ids = list(SatisfactionSurvey.objects.filter(email_status=SatisfactionSurvey.EmailStatus.PENDING,
                                                 email_next_attempt_at__lte=now)
               .order_by("email_next_attempt_at").values_list("pk", flat=True)[:limit])
    return OUTBOX.deliver_many(pks=ids, now=now, compose=compose)


def satisfaction_step(*, now: datetime) -> int:
    """The sweep's step: create the surveys that are due, then send what is pending; how many were sent."""
    surveys_create_due(now=now)
    return surveys_send_due(now=now)
