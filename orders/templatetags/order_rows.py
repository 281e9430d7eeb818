"""`{% load order_rows %}`: the rows of the order lists ("Tous mes achats", "Mes ventes"), built in Python.

Each order shows twice (a card on phones, a table row on wider screens): its URL, date, total and labels are
formatted once here, for both, instead of a template variable, filter, translation or include per cell. The
markup is the one the template wrote (orders/_order_table.html kept the outer parts), escaped the same way.
"""
from django import template
from django.core.exceptions import ObjectDoesNotExist
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from rakuten_portal.dates import date_text
from rakuten_portal.formatting import money, person_name
from rakuten_portal.paths import row_path

register = template.Library()


def _payout_state(payout) -> str:
    # orders/_payout_state.html with compact=True (its final newline included, as the include wrote it).
    css = "text-bg-warning" if payout.is_held else "text-bg-info" if payout.is_to_pay else "text-bg-success"
    return format_html('<span class="badge payout-{} {}" data-testid="payout-state">{}</span> {} €\n',
                       payout.status, css, payout.get_status_display(), floatformat(payout.amount, 2))


def _facts(order, show_buyer, order_path):
    """What both layouts show of one order, each formatted once."""
    more = ""
    if not show_buyer and order.line_count and order.line_count > 1:
        count = order.line_count - 1
        more = format_html(' <span class="text-muted">{}</span>',
                           mark_safe(ngettext("+ %(counter)s autre", "+ %(counter)s autres", count) % {"counter": count}))
    payout = None
    if show_buyer:
        try:
            payout = order.payout
        except ObjectDoesNotExist:
            payout = None
    return {
        "url": order_path(order.number), "number": order.number,  # Order.page_url, one reverse() per page
        "date": date_text(timezone.localtime(order.purchased_at), "DATE_FORMAT"),
        "products": format_html("{}{}", order.first_title if order.first_title is not None else "", more)
        if not show_buyer else "",
        "party": person_name(order.buyer) if show_buyer else order.seller.display_name,
        "total": money(order.total),
        "status": format_html('<span class="badge status-{}">{}</span>', order.status, order.get_status_display()),
        "payout": _payout_state(payout) if payout else "",
    }


@register.simple_tag
def order_rows(orders, show_buyer, party_label):
    """The cards and the table rows of the page's orders, as {"cards": …, "rows": …}."""
    show_buyer = bool(show_buyer)
    # {% translate %} wrote the catalogue's text as it is (translations are ours), the variables escaped.
    open_label = mark_safe(gettext("Réclamation en cours"))
    claim_open, claim_open_cell = (
        format_html('<span class="badge text-bg-warning">{}</span>', open_label),
        format_html('<span class="badge text-bg-warning" data-testid="order-claim-open">{}</span>', open_label))
    labels = {name: mark_safe(gettext(text)) for name, text in (
        ("articles", "Articles"), ("date", "Date d'achat"), ("total", "Total"), ("payment", "Votre paiement"))}
    party_label = conditional_escape(party_label)
    cards, rows, order_path = [], [], row_path("orders:detail")
    for order in orders:
        facts = _facts(order, show_buyer, order_path)
        claim = getattr(order, "has_open_claim", False)  # the sales list does not annotate it: no badge
        articles = "" if show_buyer else format_html("<div><dt>{}</dt><dd>{}</dd></div>", labels["articles"],
                                                     facts["products"])
        payment = format_html("<div><dt>{}</dt><dd>{}</dd></div>", labels["payment"], facts["payout"]) \
            if show_buyer and facts["payout"] else ""
        cards.append(format_html(
            '\n    <li class="card mb-2"><div class="card-body py-2 px-3">\n'
            '      <div class="d-flex justify-content-between align-items-start gap-2">\n'
            '        <a class="fw-semibold" href="{url}">{number}</a>\n'
            '        {badge}\n'
            '      </div>\n'
            '      <dl class="order-card-facts small mb-0 mt-1">\n'
            '        {articles}\n'
            '        <div><dt>{date_label}</dt><dd>{date}</dd></div>\n'
            '        <div><dt>{party_label}</dt><dd>{party}</dd></div>\n'
            '        <div><dt>{total_label}</dt><dd>{total}</dd></div>\n'
            '        {payment}\n'
            '      </dl>\n'
            '    </div></li>\n  ',
            url=facts["url"], number=facts["number"], badge=claim_open if claim else facts["status"],
            articles=articles, date_label=labels["date"], date=facts["date"], party_label=party_label,
            party=facts["party"], total_label=labels["total"], total=facts["total"], payment=payment))
        rows.append(format_html(
            '\n    <tr>\n'
            '      <td><a href="{url}">{number}</a></td>\n'
            '      <td>{date}</td>\n'
            '      {products}\n'
            '      <td>{party}</td>\n'
            '      <td class="text-end text-nowrap">{total}</td>\n'
            '      <td>{badge}</td>\n'
            '      {payout}\n'
            '    </tr>\n  ',
            url=facts["url"], number=facts["number"], date=facts["date"],
            products=format_html('<td data-testid="order-products">{}</td>', facts["products"]) if not show_buyer else "",
            party=facts["party"], total=facts["total"],
            badge=claim_open_cell if claim else facts["status"],
            payout=format_html("<td>{}</td>", facts["payout"]) if show_buyer else ""))
    return {"cards": mark_safe("".join(cards)), "rows": mark_safe("".join(rows))}
