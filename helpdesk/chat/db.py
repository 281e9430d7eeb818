"""The chat's database calls from its consumers: in the thread pool, with Django's health check when it is worth one.

Channels' `database_sync_to_async` runs `close_old_connections()` around every call, and with
`CONN_HEALTH_CHECKS` (settings) that makes every call's first query a `SELECT 1` round trip first:
two round trips per chat message instead of one, through a connection that answered a moment before.
Here a connection that finished a call without an error less than CHAT_DB_HEALTH_CHECK_AFTER_SECONDS
ago is not checked again; one idle longer (the kind a server or a proxy drops) is, as Django does.
Everything else is Channels' own: the stale connections closed before and after each call (errors
since the last commit, CONN_MAX_AGE reached, autocommit left off), the thread pool, the contexts.
"""
import time

from channels.db import DatabaseSyncToAsync
from django.conf import settings
from django.db import connections

# On SQLite (the embedded run and the tests) every call goes through one thread: it writes one at a time.
SERIAL_DATABASE = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")


def trust_recent_connections() -> None:
    """Before a call: skip the health check of a connection that ended a call cleanly within the window."""
    now = time.monotonic()
    for connection in connections.all(initialized_only=True):
        used = getattr(connection, "chat_clean_at", None)
        if (connection.connection is not None and used is not None and not connection.errors_occurred
                and now - used < settings.CHAT_DB_HEALTH_CHECK_AFTER_SECONDS):
            connection.health_check_done = True


def note_clean_connections() -> None:
    """After a call: the connections still open and without an error worked just now."""
    now = time.monotonic()
    for connection in connections.all(initialized_only=True):
        connection.chat_clean_at = now if connection.connection is not None and not connection.errors_occurred else None


def _run(function, kwargs):
    # Channels' DatabaseSyncToAsync has just run close_old_connections(), which resets every health check.
    trust_recent_connections()
    try:
        return function(**kwargs)
    finally:
        note_clean_connections()


# One wrapper for every call (building a SyncToAsync per call costs its inspection each time).
_call = DatabaseSyncToAsync(_run, thread_sensitive=SERIAL_DATABASE)


async def in_thread(function, /, **kwargs):
    """`function(**kwargs)` in the database thread pool (Channels' close_old_connections around it)."""
    return await _call(function, kwargs)
