"""`{% load dashboard_rows %}`: the rows of the Espace vendeur, built in Python from plain values.

What claims/dashboard.html's loop wrote for each claim (title, buyer and date, guarantee, the status line with
its badge, deadline and "jusqu'au …"), escaped the same way, with each date formatted once and the claims' paths
from one reverse() (rakuten_portal/paths.py). tests/claims/test_dashboard_rows.py renders the former loop beside it.
"""
from django import template
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from claims.models import Claim
from rakuten_portal.dates import date_text
from rakuten_portal.paths import row_path

from .claim_tags import deadline_badge_html, deadline_of

register = template.Library()

_ROW = ('\n    <a class="list-group-item list-group-item-action dashboard-claim" href="{url}" data-claim="{pk}">\n      \n'
        '      <div class="fw-semibold">{number} — {reason}</div>\n'
        '      <div class="small text-muted">{meta}{guarantee}</div>\n'
        '      <div class="d-flex flex-wrap gap-2 align-items-center mt-1" data-testid="dashboard-claim-status">\n'
        '        {status}\n      </div>\n    </a>\n  ')
_WITH_SELLER = ('\n          {badge}\n          {deadline}\n'
                '          <span class="small text-muted">{until}</span>\n        ')
_ELSEWHERE = '\n          <span class="badge status-{status}">{label}</span>\n        '


def _labels(choices) -> dict:
    return {value: str(label) for value, label in choices.choices}


@register.simple_tag
def dashboard_rows(rows, now=None):
    """The list-group items of the page's claims (`claims.selectors.DashboardRow`)."""
    now = now or timezone.now()
    reasons, statuses = _labels(Claim.Reason), _labels(Claim.Status)
    # {% translate %} wrote the catalogue's text as it is; variables and the formatted texts were escaped.
    guarantee = mark_safe(" · " + gettext("Garantie Rakuten"))
    waiting = mark_safe('<span class="badge text-bg-info">' + gettext("En attente de l'acheteur") + "</span>")
    to_answer = mark_safe('<span class="badge text-bg-warning">' + gettext("À traiter") + "</span>")
    meta_text, until_text = gettext("%(buyer)s · ouverte le %(date)s"), gettext("jusqu'au %(date)s")
    claim_path = row_path("claims:detail")
    out = []
    for row in rows:
        buyer = (row.buyer_first_name or "").strip() or row.buyer_username
        meta = meta_text % {"buyer": buyer, "date": date_text(timezone.localtime(row.opened_at),
                                                                         "DATETIME_FORMAT")}
        if row.is_with_seller:
            deadline = deadline_of(row, now)
            status = _WITH_SELLER.format(
                badge=waiting if row.has_pending else to_answer, deadline=deadline_badge_html(deadline),
                until=conditional_escape(until_text % {
                    "date": date_text(timezone.localtime(row.seller_deadline), "l j F, H:i")}))
        else:
            status = _ELSEWHERE.format(status=conditional_escape(row.status),
                                       label=conditional_escape(statuses.get(row.status, row.status)))
        out.append(_ROW.format(
            url=conditional_escape(claim_path(row.pk)), pk=row.pk, number=conditional_escape(row.order_number),
            reason=conditional_escape(reasons.get(row.reason, row.reason)), meta=conditional_escape(meta),
            guarantee=guarantee if row.has_guarantee else "", status=status))
    return mark_safe("".join(out))  # noqa: S308 — every value above is escaped
