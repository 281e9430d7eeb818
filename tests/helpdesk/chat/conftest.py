"""Chat fixtures: an instant inside the chat's hours, agents present, a buyer with an order."""
from datetime import datetime

import pytest

from helpdesk.chat.presence import presence_heartbeat
from helpdesk.opening_hours import PARIS
from tests.factories import StaffFactory, UserFactory, make_order

# Monday 23 November 2026, 10:00 in Paris: the chat is open.
OPEN_AT = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)


@pytest.fixture
def now():
    return OPEN_AT


@pytest.fixture
def make_agent(db, now):
    """A staff member present on the chat (available, heartbeat at `now`)."""
    def make(username="agent-a", *, first_name=None, present=True, capacity=None):
        agent = StaffFactory(username=username, first_name=first_name or username.split("-")[-1].capitalize())
        if present:
            presence = presence_heartbeat(agent=agent, status="available", now=now)
            if capacity is not None:
                type(presence).objects.filter(pk=presence.pk).update(capacity=capacity)
        return agent
    return make


@pytest.fixture
def buyer(db):
    buyer = UserFactory(username="alice", first_name="Alice")
    buyer.order = make_order(buyer=buyer)
    return buyer
