"""Template helpers for claims: the deadline badge and who wrote what."""
from dataclasses import dataclass
from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from claims.business_days import business_days_left, is_last_business_day
from claims.models import Claim, ClaimMessage
from rakuten_portal.formatting import person_name

register = template.Library()


@dataclass(frozen=True)
class Deadline:
    at: datetime
    days_left: int
    urgent: bool
    overdue: bool


def deadline_of(claim: Claim, now: datetime) -> Deadline | None:
    """The seller's deadline as the pages show it, or None once the claim has left the seller."""
    if not claim.is_with_seller:
        return None
    return Deadline(
        at=claim.seller_deadline, days_left=business_days_left(now, claim.seller_deadline),
        urgent=is_last_business_day(now, claim.seller_deadline), overdue=now > claim.seller_deadline,
    )


@register.simple_tag
def deadline_badge_html(deadline: Deadline | None) -> str:
    """A badge with the business days left, urgent on the last one: built here, as lists show one per row."""
    if deadline is None:
        return ""
    if deadline.overdue:
        text = _("Délai dépassé")
    elif deadline.urgent:
        text = _("Dernier jour")
    else:
        text = ngettext("%(counter)s jour ouvré restant", "%(counter)s jours ouvrés restants",
                        deadline.days_left) % {"counter": deadline.days_left}
    css = "deadline-urgent" if deadline.urgent or deadline.overdue else "deadline-ok"
    return format_html('<span class="badge {}" data-testid="deadline-badge">{}</span>', css, text)


def _viewer_id(context):
    request = context.get("request")
    return request.user.pk if request is not None and request.user.is_authenticated else None


def author_name(message: ClaimMessage, claim: Claim, viewer_id) -> str:
    """How the thread names a message's author ("Vous" for the viewer's own), without another query."""
    if message.author_id is not None and message.author_id == viewer_id:
        return _("Vous")
    if message.role == ClaimMessage.Role.SELLER:
        return _("%(name)s (vendeur)") % {"name": claim.seller.display_name}
    if message.role == ClaimMessage.Role.BUYER:
        return _("%(name)s (acheteur)") % {"name": person_name(claim.buyer)}
    return _("Service client Rakuten")


def actor_name(event, claim: Claim, viewer_id) -> str:
    """Who did a step of the timeline ("Vous" for the viewer)."""
    if event.automatic or event.actor_id is None:
        return _("Automatique")
    if event.actor_id == viewer_id:
        return _("Vous")
    if event.actor_id == claim.buyer_id:
        return _("Acheteur")
    if event.actor_id == claim.seller.user_id:
        return _("Vendeur")
    return _("Service client Rakuten")


@register.simple_tag(takes_context=True)
def author_label(context, message: ClaimMessage, claim: Claim) -> str:
    """author_name in a template (the claim page builds its thread with claims/templatetags/claim_page.py)."""
    return author_name(message, claim, _viewer_id(context))


@register.simple_tag(takes_context=True)
def actor_label(context, event, claim: Claim) -> str:
    """actor_name in a template."""
    return actor_name(event, claim, _viewer_id(context))
