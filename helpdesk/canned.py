"""Canned replies: their placeholders, the values a case gives them, and the texts a picker offers.

A placeholder is a word in braces ({acheteur}). Only the names in PLACEHOLDERS exist; anything else in
braces is refused where a text is saved (the reply itself, or the canned reply in the admin), so that
no customer ever reads raw braces.
"""
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from rakuten_portal.formatting import money

PLACEHOLDERS = {
    "acheteur": _("le nom de l'acheteur"),
    "vendeur": _("le nom du vendeur"),
    "commande": _("le numéro de commande"),
    "date_limite": _("la date limite du vendeur"),
    "montant": _("le montant de la commande"),
}
# Anything between braces on one line: a placeholder, or a mistake to refuse.
BRACES = re.compile(r"\{([^{}\n]{0,60})\}")


def placeholders_in(text: str) -> list[str]:
    """The names in braces, in order of appearance."""
    return BRACES.findall(text or "")


def check_placeholders(text: str) -> None:
    """Raise a ValidationError naming every unknown placeholder."""
    unknown = sorted({name for name in placeholders_in(text) if name not in PLACEHOLDERS})
    if unknown:
        raise ValidationError(
            _("Champ inconnu : %(names)s. Champs possibles : %(known)s."),
            code="unknown_placeholder",
            params={"names": ", ".join(f"{{{name}}}" for name in unknown),
                    "known": ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)},
        )


def fill(text: str, values: dict) -> str:
    """The text with each placeholder replaced by the case's value; unknown ones refused."""
    check_placeholders(text)
    return BRACES.sub(lambda match: str(values.get(match.group(1), "")), text)


def claim_values(claim, language: str) -> dict:
    """What a claim gives the placeholders, written for a reader of `language`."""
    buyer = claim.buyer
    with override(language):
        return {
            "acheteur": buyer.get_full_name() or buyer.get_username(),
            "vendeur": claim.seller.display_name,
            "commande": claim.order.number,
            "date_limite": date_format(timezone.localtime(claim.seller_deadline), "DATETIME_FORMAT"),
            "montant": money(claim.order.total),
        }


def request_values(contact_request, language: str) -> dict:
    """What a help-desk request gives the placeholders (no deadline: the seller's is a claim's)."""
    requester = contact_request.requester
    order = contact_request.order
    with override(language):
        return {
            "acheteur": (requester.get_full_name() or requester.get_username()) if requester else contact_request.email,
            "vendeur": contact_request.seller_name,
            "commande": contact_request.order_number,
            "date_limite": "",
            "montant": money(order.total) if order is not None else "",
        }


def replies_for(*, rows, values: dict, language: str) -> list[tuple[str, str]]:
    """(title, filled text) of each canned reply given (helpdesk.selectors.canned_replies), in the reader's language."""
    replies = []
    for reply in rows:
        try:
            replies.append((reply.title, fill(reply.text_in(language), values)))
        except ValidationError:
            continue  # saved before a placeholder was removed: not offered rather than sent half-filled
    return replies
