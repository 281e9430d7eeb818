"""The chat's database calls: Django's health check only for a connection idle (or failed) since its last call."""
import pytest
from django.db import close_old_connections, connection

from helpdesk.chat import db
from helpdesk.chat.models import Conversation

# Outside a test transaction: close_old_connections() drops a connection whose autocommit is off.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def checks(monkeypatch, settings):
    """Health checks on (as in settings.py), and every check Django makes counted."""
    settings.CHAT_DB_HEALTH_CHECK_AFTER_SECONDS = 5
    connection.ensure_connection()
    connection.close_at = None  # persistent, as with DATABASE_CONN_MAX_AGE=60 (the tests' 0 closes after each call)
    enabled = getattr(connection, "health_check_enabled", False)
    connection.health_check_enabled = True  # read from CONN_HEALTH_CHECKS at connect
    made = []
    real = connection.is_usable
    monkeypatch.setattr(connection, "is_usable", lambda: made.append(1) or real())
    yield made
    connection.health_check_enabled = enabled


def call(monkeypatch, at):
    """One call as Channels makes it: close_old_connections() first, then the chat's runner with one query."""
    monkeypatch.setattr(db.time, "monotonic", lambda: at)
    close_old_connections()
    return db._run(Conversation.objects.count, {})


def test_a_connection_that_worked_a_moment_ago_is_not_checked_again(checks, monkeypatch):
    call(monkeypatch, at=100.0)
    first = len(checks)
    call(monkeypatch, at=101.0)
    call(monkeypatch, at=104.9)
    assert len(checks) == first  # no SELECT 1 before these calls' queries


def test_a_connection_idle_past_the_window_is_checked_as_django_does(checks, monkeypatch):
    call(monkeypatch, at=100.0)
    first = len(checks)
    call(monkeypatch, at=105.5)
    assert len(checks) == first + 1


def test_a_connection_with_an_error_is_checked_again(checks, monkeypatch):
    call(monkeypatch, at=100.0)
    first = len(checks)
    connection.errors_occurred = True  # as Django marks a connection after a database error
    call(monkeypatch, at=100.5)  # close_old_connections() checks it (errors), the call trusts nothing
    assert len(checks) > first
    connection.errors_occurred = False

