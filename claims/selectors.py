"""Reads on claims, always scoped to the user who asks, so a missing filter cannot leak."""
from django.db.models import Q
from django.http import Http404

from .eligibility import claim_eligibility
from .models import Claim


def claims_visible_to(user):
    """Claims the user may open: as buyer, as seller, or all for staff."""
    if not user.is_authenticated:
        return Claim.objects.none()
    if user.is_staff:
        return Claim.objects.all()
    return Claim.objects.filter(Q(buyer=user) | Q(seller__user=user))


def access_claim(user, claim_id) -> Claim:
    """The claim if the user may see it, else 404 (never 403: it would confirm it exists)."""
    claim = claims_visible_to(user).select_related("order", "buyer", "seller__user", "assigned_to").filter(pk=claim_id).first()
    if claim is None:
        raise Http404
    return claim


def order_claim_context(*, order, user, now) -> dict:
    """What the order page shows about claims: the claims on it and whether (and when) one may be filed."""
    claims = list(Claim.objects.filter(order=order).order_by("-opened_at"))
    open_claim = next((claim for claim in claims if claim.is_open), None)
    eligibility = claim_eligibility(order=order, user=user, now=now, open_claim_exists=open_claim is not None)
    return {"claims": claims, "open_claim": open_claim, "eligibility": eligibility}
