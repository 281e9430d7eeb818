"""The seller's and the buyer's records as agents read them in the admin (figures from claims/records.py)."""
from django.conf import settings
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import records


def seller_record_html(seller_id: int) -> str:
    """The seller's 90-day record as agents read it, with its flags."""
    record = records.seller_record(seller_id=seller_id, now=timezone.now())
    text = _("%(days)s jours : %(orders)s commandes, %(claims)s réclamations (taux %(rate)s), %(share)s prises en "
             "charge par le service client, première réponse médiane %(first)s") % {
        "days": settings.RECORD_WINDOW.days, "orders": record.orders, "claims": record.claims,
        "rate": records.percent(record.claim_rate), "share": records.percent(record.takeover_share),
        "first": records.hours(record.median_first_answer)}
    if record.flagged:
        return format_html('<span class="desk-flag">{}</span> {}<br>{}', _("À surveiller"), "; ".join(record.flags), text)
    return text


def buyer_record_html(buyer_id: int) -> str:
    """The buyer's claims over 12 months, flagged from the threshold (agents only)."""
    record = records.buyer_record(buyer_id=buyer_id, now=timezone.now())
    text = ngettext("%(count)s réclamation sur 12 mois", "%(count)s réclamations sur 12 mois",
                    record.claims) % {"count": record.claims}
    if record.flagged:
        return format_html('<span class="desk-flag">{}</span> {}', _("À surveiller"), text)
    return text
