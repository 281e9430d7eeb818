"""The order lists' rows built in Python ({% order_rows %}) write exactly what the template's loops wrote."""
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from orders.models import Order, Payout
from orders.selectors import orders_bought_by, orders_sold_by
from orders.services import order_create
from tests.factories import ListingFactory, SellerFactory, UserFactory, make_claim, make_order

pytestmark = pytest.mark.django_db

# The two loops of orders/_order_table.html before the tag, word for word (the payout include inlined).
PAYOUT = ('<span class="badge payout-{{ payout.status }} {% if payout.is_held %}text-bg-warning{% elif payout.is_to_pay %}'
          'text-bg-info{% else %}text-bg-success{% endif %}" data-testid="payout-state">{{ payout.get_status_display }}'
          '</span> {{ payout.amount|floatformat:2 }} €\n')
OLD = Template("""{% load i18n portal_format %}{% for order in orders %}
    <li class="card mb-2"><div class="card-body py-2 px-3">
      <div class="d-flex justify-content-between align-items-start gap-2">
        <a class="fw-semibold" href="{% url 'orders:detail' order.number %}">{{ order.number }}</a>
        {% if order.has_open_claim %}<span class="badge text-bg-warning">{% translate "Réclamation en cours" %}</span>{% else %}<span class="badge status-{{ order.status }}">{{ order.get_status_display }}</span>{% endif %}
      </div>
      <dl class="order-card-facts small mb-0 mt-1">
        {% if not show_buyer %}<div><dt>{% translate "Articles" %}</dt><dd>{{ order.first_title }}{% if order.line_count > 1 %} <span class="text-muted">{% blocktranslate count counter=order.line_count|add:"-1" %}+ {{ counter }} autre{% plural %}+ {{ counter }} autres{% endblocktranslate %}</span>{% endif %}</dd></div>{% endif %}
        <div><dt>{% translate "Date d'achat" %}</dt><dd>{{ order.purchased_at|date:"DATE_FORMAT" }}</dd></div>
        <div><dt>{{ party_label }}</dt><dd>{% if show_buyer %}{{ order.buyer|person_name }}{% else %}{{ order.seller.display_name }}{% endif %}</dd></div>
        <div><dt>{% translate "Total" %}</dt><dd>{{ order.total|money }}</dd></div>
        {% if show_buyer %}{% with payout=order.payout %}{% if payout %}<div><dt>{% translate "Votre paiement" %}</dt><dd>PAYOUT</dd></div>{% endif %}{% endwith %}{% endif %}
      </dl>
    </div></li>
  {% endfor %}|{% for order in orders %}
    <tr>
      <td><a href="{% url 'orders:detail' order.number %}">{{ order.number }}</a></td>
      <td>{{ order.purchased_at|date:"DATE_FORMAT" }}</td>
      {% if not show_buyer %}<td data-testid="order-products">{{ order.first_title }}{% if order.line_count > 1 %} <span class="text-muted">{% blocktranslate count counter=order.line_count|add:"-1" %}+ {{ counter }} autre{% plural %}+ {{ counter }} autres{% endblocktranslate %}</span>{% endif %}</td>{% endif %}
      <td>{% if show_buyer %}{{ order.buyer|person_name }}{% else %}{{ order.seller.display_name }}{% endif %}</td>
      <td class="text-end text-nowrap">{{ order.total|money }}</td>
      <td>{% if order.has_open_claim %}<span class="badge text-bg-warning" data-testid="order-claim-open">{% translate "Réclamation en cours" %}</span>{% else %}<span class="badge status-{{ order.status }}">{{ order.get_status_display }}</span>{% endif %}</td>
      {% if show_buyer %}<td>{% with payout=order.payout %}{% if payout %}PAYOUT{% endif %}{% endwith %}</td>{% endif %}
    </tr>
  {% endfor %}""".replace("PAYOUT", PAYOUT))
NEW = Template("{% load order_rows %}{% order_rows orders show_buyer party_label as html %}{{ html.cards }}|{{ html.rows }}")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_rows_are_the_templates_for_purchases_and_sales_in_every_state(language):
    buyer = UserFactory(first_name="<Zoé & \"Léa\">")
    shop = SellerFactory(display_name="L'atelier <b>&</b> Cie")
    fields = dict(payment_method=Order.Payment.CARD, shipping_method=Order.Shipping.STANDARD,
                  destination=Order.Destination.METROPOLITAN, has_guarantee=False)
    several = order_create(buyer=buyer, seller=shop, **fields, lines=[(ListingFactory(seller=shop, title="Lampe <b>"), 1),
                                                            (ListingFactory(seller=shop), 2),
                                                            (ListingFactory(seller=shop), 1)])
    two = order_create(buyer=buyer, seller=shop, **fields, lines=[(ListingFactory(seller=shop), 1),
                                                        (ListingFactory(seller=shop), 1)])
    make_claim(order=make_order(buyer=buyer, seller=shop, price=Decimal("1234.5")))
    make_order(buyer=buyer, seller=shop)
    assert several and two
    with translation.override(language):
        purchases = list(orders_bought_by(buyer))
        context = {"orders": purchases, "show_buyer": "", "party_label": "Vendeur"}
        assert NEW.render(Context(context)) == OLD.render(Context(context))
        sales = list(orders_sold_by(shop.user).select_related("payout"))
        for order, status in zip(sales, [None, Payout.Status.HELD, Payout.Status.TO_PAY, Payout.Status.PAID]):
            if status:  # in memory only: how each state is written, not a state change
                order.payout = Payout(order=order, seller=shop, amount=Decimal("12.5"), status=status)
        context = {"orders": sales, "show_buyer": True, "party_label": "Acheteur <l'>"}
        html = NEW.render(Context(context))
        assert html == OLD.render(Context(context))
        assert "text-bg-info" in html and "text-bg-success" in html and "&lt;Zoé &amp; &quot;Léa&quot;&gt;" in html
        html = NEW.render(Context({"orders": purchases, "show_buyer": False}))
        assert "order-claim-open" in html and "Lampe &lt;b&gt;" in html and "L&#x27;atelier &lt;b&gt;" in html
        assert "+ 2 " in html and "+ 1 " in html
