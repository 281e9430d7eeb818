"""CPU of a conversation's database work in one process, without websockets: a steadier figure than a load run.

    .venv/bin/python bench/chat_domain_cost.py                 # 50 conversations × (0, then 20 exchanges), 3 tries
    .venv/bin/python bench/chat_domain_cost.py --conversations 100 --exchanges 20 --tries 5

Each conversation goes through what the consumers call, in the same thread pool and through the same
wrapper as they do (`helpdesk.chat.db.in_thread`, or Channels' `database_sync_to_async` on a tree that
has no such module): start (its availability read), the visitor's place and wait, the take, the
exchanges (the visitor's message and the agent's answer, each one call), the close (the help-desk
request and its transcript), then the queue news (`frames.queue_update`) once. Conversations run one
after another (no contention between them): CPU is the process's (user + system, every thread),
statements are every SQL statement Django runs plus Django's health checks (`SELECT 1`).
Best of --tries; per message = (CPU with exchanges − without) / messages. The database is the
load bench's (rk_chat_bench, prepared by bench/chat_load.py). Run it from the tree to measure.
"""
import argparse
import asyncio
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/rk_chat_bench")
os.environ.update({"DJANGO_SETTINGS_MODULE": "rakuten_portal.settings", "DJANGO_DEBUG": "0",
                   "DJANGO_SECRET_KEY": "bench-only-" + "x" * 50, "DJANGO_SECURE_SSL_REDIRECT": "0",
                   "CACHE_URL": "locmemcache://", "LOG_LEVEL": "WARNING", "CHAT_HOURS": "mon-sun 00:00-24:00",
                   "CHAT_CLOSED_ON_HOLIDAYS": "0", "CHAT_QUEUE_MAX": "100000", "CHAT_MESSAGES_PER_MINUTE": "1000",
                   "DATABASE_CONN_MAX_AGE": "60", "AXES_ENABLED": "0", "CHANNEL_LAYER_URL": ""})

statements = [0]
_lock = threading.Lock()


def _count(execute, sql, params, many, context):
    with _lock:
        statements[0] += 1
    return execute(sql, params, many, context)


def _on_connection(sender, connection, **kwargs):
    if _count not in connection.execute_wrappers:
        connection.execute_wrappers.append(_count)


async def one_conversation(call, n: int, session_key: str, agent, exchanges: int):
    import uuid

    from django.utils import timezone

    from helpdesk.chat import domain, frames

    conversation, _created = await call(domain.conversation_start, user=None, session_key=session_key,
                                        topic="tracking", language="fr", now=timezone.now(), name=f"Visiteur {n}",
                                        email=f"v{n}@bench.example")
    await call(frames.visitor_queue, conversation=conversation, now=timezone.now())
    await call(domain.conversation_take, conversation_id=conversation.pk, agent=agent, now=timezone.now())
    for index in range(exchanges):
        await call(domain.message_post, conversation=conversation, author="visitor", user=None,
                   text=f"message {index}", now=timezone.now(), client_id=str(uuid.uuid4()))
        await call(domain.message_post, conversation=conversation, author="agent", user=agent,
                   text=f"re: message {index}", now=timezone.now(), client_id=str(uuid.uuid4()))
    await call(domain.conversation_close, conversation_id=conversation.pk, by="visitor", now=timezone.now())
    await call(frames.queue_update, now=timezone.now())


async def run(conversations: int, exchanges: int, cookies, agent) -> tuple[float, int]:
    try:
        from helpdesk.chat.db import in_thread as call
    except ImportError:  # a tree before helpdesk/chat/db.py: what its consumers called
        from channels.db import database_sync_to_async

        async def call(function, /, **kwargs):
            return await database_sync_to_async(lambda: function(**kwargs), thread_sensitive=False)()
    for n in range(3):  # warm: code loaded, connections open
        await one_conversation(call, n, cookies[n], agent, 1)
    statements[0] = 0
    started = time.process_time()
    for n in range(conversations):
        await one_conversation(call, n, cookies[n], agent, exchanges)
    return time.process_time() - started, statements[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conversations", type=int, default=50)
    parser.add_argument("--exchanges", type=int, default=20)
    parser.add_argument("--tries", type=int, default=3)
    args = parser.parse_args()
    import django

    django.setup()
    from chat_load import ensure_database, prepare
    from django.contrib.auth import get_user_model
    from django.db import connections
    from django.db.backends.postgresql.base import DatabaseWrapper
    from django.db.backends.signals import connection_created
    from django.utils import timezone

    from helpdesk.chat.models import Conversation
    from helpdesk.chat.presence import presence_heartbeat

    ensure_database()
    _agents, cookies = prepare(args.conversations, 1)
    agent = get_user_model().objects.get(username="bench-agent-0")
    connections.close_all()
    connection_created.connect(_on_connection, weak=False)
    is_usable = DatabaseWrapper.is_usable

    def counted(self):
        with _lock:
            statements[0] += 1
        return is_usable(self)

    DatabaseWrapper.is_usable = counted
    uptime = Path("/proc/loadavg").read_text().split()[0]
    results = {}
    for exchanges in (0, args.exchanges):
        best = None
        for _ in range(args.tries):
            Conversation.objects.all().delete()
            presence_heartbeat(agent=agent, status="available", now=timezone.now())
            cpu, count = asyncio.run(run(args.conversations, exchanges, cookies, agent))
            best = (cpu, count) if best is None or cpu < best[0] else best
        results[exchanges] = best
    (cpu0, count0), (cpu1, count1) = results[0], results[args.exchanges]
    messages = args.conversations * args.exchanges * 2
    print(f"{ROOT.name}: {args.conversations} conversations, best of {args.tries}, load {uptime} → "
          f"{Path('/proc/loadavg').read_text().split()[0]}")
    print(f"  per conversation without messages: {cpu0 * 1000 / args.conversations:6.2f} ms CPU, "
          f"{count0 / args.conversations:5.1f} statements (health checks included)")
    print(f"  per message:                       {(cpu1 - cpu0) * 1000 / messages:6.3f} ms CPU, "
          f"{(count1 - count0) / messages:5.2f} statements")


if __name__ == "__main__":
    main()
