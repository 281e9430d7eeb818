"""How amounts and people are written for the reader: one place for pages, the admin and e-mails.

`money(amount)` writes euros the way the reader's language does: "1 279,90 €" in French (non-breaking
spaces), "€1,279.90" in English. `person_name(user)` is how a person is named to others and greeted:
the first name, else the user name; `greeting_name(user, order)` greets the order's seller by the shop's
display name.
"""
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils.translation import get_language

NBSP = "\u00a0"
CENT = Decimal("0.01")


def _grouped(units: str, separator: str) -> str:
    head = len(units) % 3 or 3
    return separator.join([units[:head]] + [units[i:i + 3] for i in range(head, len(units), 3)])


def money(amount, language: str | None = None) -> str:
    """An amount in euros in the reader's language (the active one unless given); "" for None."""
    if amount is None or amount == "":
        return ""
    value = Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    units, cents = f"{abs(value):.2f}".split(".")
    language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if language == "en":
        return f"{sign}€{_grouped(units, ',')}.{cents}"
    return f"{sign}{_grouped(units, NBSP)},{cents}{NBSP}€"


def person_name(user) -> str:
    """A person as others see them and as e-mails greet them: first name, else user name."""
    if user is None:
        return ""
    return (getattr(user, "first_name", "") or "").strip() or user.get_username()


def greeting_name(user, order=None) -> str:
    """The name an e-mail greets: the shop's display name when writing to the order's seller, else person_name."""
    if order is not None and user is not None and order.seller.user_id == user.pk:
        return order.seller.display_name
    return person_name(user)
