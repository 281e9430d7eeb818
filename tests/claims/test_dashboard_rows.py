"""The Espace vendeur's rows built in Python ({% dashboard_rows %}) write exactly what the template's loop wrote."""
from datetime import timedelta

import pytest
from django.db.models import Exists, OuterRef
from django.template import Context, Template
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from claims import domain
from claims.models import Claim, Proposal
from claims.selectors import DASHBOARD_ORDER, seller_claim_rows
from claims.templatetags.claim_tags import deadline_of
from rakuten_portal.formatting import person_name
from tests.factories import SellerFactory, UserFactory, make_claim, make_order

pytestmark = pytest.mark.django_db

# claims/dashboard.html's loop before the tag, word for word.
OLD = Template("""{% load i18n claim_tags %}{% for claim in claims %}
    <a class="list-group-item list-group-item-action dashboard-claim" href="{{ claim.row_url }}" data-claim="{{ claim.pk }}">
      {# Title, then who and when, then the status line: the same place on every row, at every width. #}
      <div class="fw-semibold">{{ claim.order.number }} — {{ claim.get_reason_display }}</div>
      <div class="small text-muted">{{ claim.row_meta }}{% if claim.has_guarantee %} · {% translate "Garantie Rakuten" %}{% endif %}</div>
      <div class="d-flex flex-wrap gap-2 align-items-center mt-1" data-testid="dashboard-claim-status">
        {% if claim.is_with_seller %}
          {% if claim.has_pending %}<span class="badge text-bg-info">{% translate "En attente de l'acheteur" %}</span>{% else %}<span class="badge text-bg-warning">{% translate "À traiter" %}</span>{% endif %}
          {% deadline_badge_html claim.deadline %}
          <span class="small text-muted">{{ claim.deadline_until }}</span>
        {% else %}
          <span class="badge status-{{ claim.status }}">{{ claim.get_status_display }}</span>
        {% endif %}
      </div>
    </a>
  {% endfor %}""")
NEW = Template("{% load dashboard_rows %}{% dashboard_rows rows now %}")


def old_dashboard_row(claim, now):
    """claims/dashboard.py's dashboard_row before the tag, word for word."""
    buyer = person_name(claim.buyer)
    claim.row_url = reverse("claims:detail", args=[claim.pk])
    claim.row_meta = _("%(buyer)s · ouverte le %(date)s") % {
        "buyer": buyer, "date": formats.date_format(timezone.localtime(claim.opened_at), "DATETIME_FORMAT")}
    claim.deadline = deadline_of(claim, now)
    if claim.deadline:
        claim.deadline_until = _("jusqu'au %(date)s") % {
            "date": formats.date_format(timezone.localtime(claim.seller_deadline), "l j F, H:i")}
    return claim


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_rows_are_the_templates_in_every_state(language):
    shop = SellerFactory(display_name="L'atelier <b>&</b> Cie")
    named = UserFactory(first_name="  <Zoé & \"Léa\"> ")
    unnamed = UserFactory(first_name="", username="o'brien<x>")
    now = timezone.now()
    claims = []
    for days_ago, buyer, reason in [(0, named, "damaged"), (2, unnamed, "not_received"), (5, named, "different"),
                                    (1, unnamed, "damaged"), (3, named, "counterfeit"), (4, unnamed, "damaged")]:
        order = make_order(buyer=buyer, seller=shop, now=now - timedelta(days=days_ago + 20), days_ago=3)
        claims.append(make_claim(order=order, reason=reason, now=now - timedelta(days=days_ago)))
    pending, support, settled, withdrawn, overdue, plain = claims
    domain.claim_propose(claim_id=pending.pk, seller_user=shop.user, kind=Proposal.Kind.EXCHANGE, now=now)
    Claim.objects.filter(pk=support.pk).update(status=Claim.Status.WITH_SUPPORT, has_guarantee=True)
    Claim.objects.filter(pk=settled.pk).update(status=Claim.Status.SETTLED, closed_at=now)
    Claim.objects.filter(pk=withdrawn.pk).update(status=Claim.Status.WITHDRAWN, closed_at=now - timedelta(hours=1))
    Claim.objects.filter(pk=overdue.pk).update(seller_deadline=now - timedelta(hours=2), has_guarantee=True)

    page_ids = Claim.objects.filter(seller=shop).order_by(*DASHBOARD_ORDER).values("pk")[:20]
    old_claims = list(Claim.objects.filter(seller=shop).select_related("order", "buyer").annotate(
        has_pending=Exists(Proposal.objects.filter(claim=OuterRef("pk"), status=Proposal.Status.PENDING)))
        .order_by(*DASHBOARD_ORDER))
    with translation.override(language):
        old = OLD.render(Context({"claims": [old_dashboard_row(claim, now) for claim in old_claims]}))
        new = NEW.render(Context({"rows": seller_claim_rows(page_ids), "now": now}))
    assert new == old
    assert [row.pk for row in seller_claim_rows(page_ids)] == [claim.pk for claim in old_claims]
    for text in ("&lt;Zoé &amp; &quot;Léa&quot;&gt;", "o&#x27;brien&lt;x&gt;", "deadline-urgent", "text-bg-info",
                 f"status-{Claim.Status.WITH_SUPPORT}", f"status-{Claim.Status.SETTLED}"):
        assert text in new
