"""Fixtures shared by every app's tests: the six roles around one order."""
import pytest

from tests.factories import SellerFactory, StaffFactory, StaffWithoutAgentPermissionFactory, UserFactory, make_order


@pytest.fixture
def roles(db):
    """The owner (buyer), another buyer, the seller, another seller, an agent ("staff") and a staff account
    without the agent permission ("bare_staff"), around one order."""
    buyer = UserFactory(username="buyer")
    seller = SellerFactory(user=UserFactory(username="seller"))
    order = make_order(buyer=buyer, seller=seller)
    return {
        "buyer": buyer,
        "other_buyer": UserFactory(username="other-buyer"),
        "seller": seller.user,
        "other_seller": SellerFactory(user=UserFactory(username="other-seller")).user,
        "staff": StaffFactory(username="staff"),
        "bare_staff": StaffWithoutAgentPermissionFactory(username="bare-staff"),
        "order": order,
        "seller_profile": seller,
    }
