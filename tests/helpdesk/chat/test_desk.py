"""The desk's chat entry: how many visitors wait and for how long, in one query."""
from datetime import timedelta

import pytest

from helpdesk.chat import domain
from helpdesk.chat.desk import chats_waiting

pytestmark = pytest.mark.django_db


def test_chats_waiting_counts_the_queue_with_the_oldest_wait(make_agent, now, django_assert_num_queries):
    make_agent()
    with django_assert_num_queries(1):
        assert (chats_waiting(now=now).count, chats_waiting.__name__) == (0, "chats_waiting")
    for n, minutes in enumerate([5, 2]):
        domain.conversation_start(user=None, session_key=f"s{n}", topic="other", language="fr",
                                  now=now - timedelta(minutes=minutes), name="Zoé", email="zoe@example.com")
    entry = chats_waiting(now=now)
    assert (entry.count, entry.oldest_age, entry.url) == (2, timedelta(minutes=5),
                                                          "/admin/helpdesk/conversation/console/")
