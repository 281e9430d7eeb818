"""The one door from the domain to the broker: work is handed to the workers by task name, after commit.

Claims and the help desk enqueue through here and never import a tasks module, so imports run one way
(tasks import the domain, not the reverse). What a request costs when the broker is down is bounded here:
- one message per task name per transaction, whatever the number of rows (ids are gathered until commit);
- a connection of its own with a short connect and read timeout and no retry (CELERY_PUBLISH_TIMEOUT);
- the first failure stops the rest, and the process publishes nothing for CELERY_PUBLISH_PAUSE seconds,
  so no request waits twice. The rows stay pending in their outbox; the sweep sends them.
"""
import logging
import threading
import time

from django.conf import settings
from django.db import transaction

from .celery import app

logger = logging.getLogger(__name__)

_local = threading.local()
_paused_until = 0.0  # time.monotonic() before which nothing is published (the broker failed recently)


class _Batch:
    """The ids gathered in one transaction, per task name; published once, when the transaction commits."""

    def __init__(self):
        self.ids: dict[str, list[int]] = {}
        self.chunk_sizes: dict[str, int | None] = {}
        self.done = False

    def __call__(self):
        self.done = True
        for name, ids in self.ids.items():
            size = self.chunk_sizes.get(name) or len(ids)
            for start in range(0, len(ids), size):
                if not publish(name, ids[start:start + size]):
                    logger.warning("Broker unavailable: %s ids for %s left to the sweep", len(ids) - start, name)
                    return


def _current_batch(connection) -> _Batch:
    # The batch registered earlier in this atomic block or an enclosing one still open (a rolled-back savepoint
    # discards its batch; a closed sibling block keeps its own, as captureOnCommitCallbacks expects).
    active = set(connection.savepoint_ids)
    for savepoints, callback, _robust in connection.run_on_commit:
        if isinstance(callback, _Batch) and not callback.done and savepoints <= active:
            return callback
    batch = _Batch()
    transaction.on_commit(batch, robust=True)
    return batch


def enqueue_ids(task_name: str, ids, *, chunk_size: int | None = None) -> None:
    """After commit, hand these ids to `task_name` (one argument: the list), with the transaction's other ids."""
    ids = [pk for pk in ids if pk]
    if not ids:
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        batch = _Batch()
        batch.ids[task_name], batch.chunk_sizes[task_name] = ids, chunk_size
        batch()
        return
    batch = _current_batch(connection)
    batch.ids.setdefault(task_name, []).extend(ids)
    batch.chunk_sizes[task_name] = chunk_size


def publish(task_name: str, *args) -> bool:
    """Send one task message now; False (and logged) when the broker did not take it. Never raises."""
    if time.monotonic() < _paused_until:
        return False
    try:
        _send(task_name, list(args))
    except Exception:  # noqa: BLE001 — any broker failure: the outbox rows are the safety net
        _pause()
        logger.warning("Broker unavailable: task %s not published", task_name, exc_info=True)
        return False
    return True


def reset() -> None:
    """Forget a past broker failure: publish again at once (tests, or an operator's shell)."""
    global _paused_until
    _paused_until = 0.0


def _pause() -> None:
    global _paused_until
    _paused_until = time.monotonic() + settings.CELERY_PUBLISH_PAUSE
    _drop_connection()


def _send(task_name: str, args: list) -> None:
    if app.conf.task_always_eager:
        # Tests run the task in the process; send_task would ignore eager mode.
        if task_name not in app.tasks:
            app.loader.import_default_modules()
        app.tasks[task_name].apply(args=args)
        return
    app.send_task(task_name, args=args, connection=_connection(), retry=False)


def _connection():
    """This thread's publishing connection: short timeouts, no retry (the workers keep the patient defaults)."""
    url = app.conf.broker_write_url or app.conf.broker_url
    held = getattr(_local, "held", None)
    if held is not None and held[0] == url:
        return held[1]
    _drop_connection()
    timeout = settings.CELERY_PUBLISH_TIMEOUT
    options = {**(app.conf.broker_transport_options or {}), "max_retries": 0,
               "socket_connect_timeout": timeout, "socket_timeout": timeout}
    connection = app.connection_for_write(url, connect_timeout=timeout, transport_options=options)
    _local.held = (url, connection)
    return connection


def _drop_connection() -> None:
    held = getattr(_local, "held", None)
    _local.held = None
    if held is not None:
        try:
            held[1].release()
        except Exception:  # noqa: BLE001 — a broken connection may fail to close; it is dropped anyway
            pass
