"""Prepared and PreparedUnion return what the querysets they were built from return, on every run."""
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claims import domain
from claims.models import Attachment, Claim, ClaimEvent, ClaimMessage, Proposal
from orders.models import OrderLine
from rakuten_portal.prepared_queries import Prepared, PreparedUnion
from tests.factories import StaffFactory, make_claim

pytestmark = pytest.mark.django_db


def _fields(objects):
    return [(type(obj), {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}) for obj in objects]


def _claims():
    claims = [make_claim(), make_claim(reason="different", description="Autre <article>")]
    now = timezone.now()
    for claim in claims:
        seller = claim.seller.user
        domain.claim_post_message(claim_id=claim.pk, author=claim.buyer, body="un", now=now)
        domain.claim_add_note(claim_id=claim.pk, agent=StaffFactory(), body="note", now=now)
        domain.claim_propose(claim_id=claim.pk, seller_user=seller, kind=Proposal.Kind.PARTIAL_REFUND,
                             amount=Decimal("3.50"), now=now)
    return claims


def test_prepared_is_the_queryset_with_select_related_and_converters():
    claims = _claims()
    build = (lambda claim_id, user_id: Claim.objects.filter(pk=claim_id, buyer_id=user_id)
             .select_related("order", "buyer", "seller__user", "assigned_to"))
    prepared = Prepared(build)
    for claim in claims * 2:
        [found] = prepared(claim_id=claim.pk, user_id=claim.buyer_id)
        [expected] = build(claim.pk, claim.buyer_id)
        assert _fields([found, found.order, found.buyer, found.seller, found.seller.user]) == _fields(
            [expected, expected.order, expected.buyer, expected.seller, expected.seller.user])
        assert found.assigned_to is None
        with CaptureQueriesContext(connection) as queries:
            assert found.order.number and found.seller.user.username
        assert len(queries) == 0
    assert prepared(claim_id=claims[0].pk, user_id=claims[1].buyer_id) == []


def test_a_union_is_each_queryset_in_its_order_in_one_query():
    claims = _claims()
    parts = {
        "events": lambda claim_id: ClaimEvent.objects.filter(claim_id=claim_id).order_by("at", "id"),
        "proposals": lambda claim_id: Proposal.objects.filter(claim_id=claim_id).order_by("-created_at", "-id"),
        "files": lambda claim_id: Attachment.objects.filter(claim_id=claim_id),
        "items": lambda claim_id: OrderLine.objects.filter(claims__id=claim_id),
        "thread": lambda claim_id: ClaimMessage.objects.filter(claim_id=claim_id, internal=False).order_by("-id"),
    }
    union = PreparedUnion(**parts)
    for claim in claims * 2:
        with CaptureQueriesContext(connection) as queries:
            found = union(claim_id=claim.pk)
        assert len(queries) == 1
        for name, build in parts.items():
            assert _fields(found[name]) == _fields(build(claim.pk)), name
        assert found["proposals"][0].amount == Decimal("3.50") and found["thread"][0].internal is False


def test_what_cannot_be_prepared_is_refused():
    with pytest.raises(ValueError):
        Prepared(lambda claim_id: Claim.objects.filter(pk=1))(claim_id=1)
    with pytest.raises(ValueError):
        PreparedUnion(one=lambda claim_id: Claim.objects.filter(pk=claim_id).select_related("order"))(claim_id=1)
