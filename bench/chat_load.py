"""Load test of the live chat: 200 visitors and 20 agents over websockets against a real daphne on Redis.

    .venv/bin/python bench/chat_load.py                        # prints the figures
    .venv/bin/python bench/chat_load.py --visitors 50 --agents 5 --messages 10
    .venv/bin/python bench/chat_load.py --servers 2 --pause 3     # 2 daphne processes, a human pace
    .venv/bin/python bench/chat_load.py --layer core              # channels-redis's list-based layer instead
    .venv/bin/python bench/chat_load.py --warmup 10 --rounds 3    # memory: the same visitors three times
    CHAT_PROFILE_MODE=memory .venv/bin/python bench/chat_load.py --rounds 3 --profile /tmp/chatmem  # + gc probe
    .venv/bin/python bench/chat_load.py --visitors 20 --agents 2 --profile /tmp/chatprof  # SQL by call site
    .venv/bin/python bench/chat_load.py --write docs/chat-benchmark.md

What it does: prepares its own PostgreSQL database (DATABASE_URL, default rk_chat_bench, created and
migrated if missing, chat rows emptied), 20 staff agents and 200 anonymous visitor sessions; starts
`daphne rakuten_portal.asgi:application` on a free port with the Redis channel layer (CHANNEL_LAYER_URL,
default redis://127.0.0.1:6379/5, flushed first); connects the agents (available, capacity 10), then every
visitor at once: each starts a conversation, waits to be taken, and sends its messages one after another,
the agent answering each one (the visitor waits for the answer to *that* message, by its text). Every
message, both ways, is timed from the sender's `send` to the other side's receipt (one clock: one client
process). Then every visitor ends the chat and leaves. The agents share the waiting list as a team
(agent n first takes the visitors whose id falls to n, anyone takes a visitor waiting over 2 s); the
take race itself is tested in tests/helpdesk/chat/test_consumers.py.

Printed: delivery latency p50/p99 (ms), also split between the messages sent while visitors still
arrive and after; messages lost (accepted and stored by the server, never delivered live to the other
side), refused (not stored: the server said why in an `error` frame) and duplicated (the same id twice
on one socket); the server's CPU time per stored message; its resident memory before the visitors
come, at the peak, and after they have all left (after each round with --rounds).
Targets (issue 8): p99 under 100 ms on a 2-core machine, 0 lost, 0 duplicated, memory back to its level
once the conversations close.
"""
import argparse
import asyncio
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/rk_chat_bench")
os.environ.setdefault("CHANNEL_LAYER_URL", "redis://127.0.0.1:6379/5")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rakuten_portal.settings_test")
os.environ.setdefault("CACHE_URL", "locmemcache://")

CAPACITY = 10
HEARTBEAT_SECONDS = 30
SERVER_LOG = "/tmp/chat_load_daphne.log"
DELIVERY_DEADLINE = 60.0  # a visitor waits this long for the answer before writing again
SHARE_AFTER = 2.0  # seconds a visitor waits before every agent may take them


def setup_django():
    import django

    django.setup()


def ensure_database():
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    with psycopg.connect(host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], password=db["PASSWORD"] or None,
                         dbname="postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{db["NAME"]}"')


def prepare(visitors: int, agents: int):
    """Migrate, empty the chat, and make the agents' and visitors' sessions (cookies)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from helpdesk.chat.models import AgentPresence, ChatEvent, ChatMessage, Conversation
    from helpdesk.models import ContactMessage, ContactRequest

    call_command("migrate", verbosity=0)
    ChatMessage.objects.all().delete()
    ChatEvent.objects.all().delete()
    Conversation.objects.all().delete()
    AgentPresence.objects.all().delete()
    ContactMessage.objects.filter(request__chat__isnull=False).delete()
    ContactRequest.objects.filter(reference__startswith="SC-").delete()
    User = get_user_model()
    agent_cookies = []
    for n in range(agents):
        agent, _created = User.objects.get_or_create(
            username=f"bench-agent-{n}", defaults={"is_staff": True, "is_superuser": True, "first_name": f"Agent{n}"})
        session = SessionStore()
        session[SESSION_KEY] = str(agent.pk)
        session[BACKEND_SESSION_KEY] = "rakuten_portal.auth_backend.CachedUserBackend"
        session[HASH_SESSION_KEY] = agent.get_session_auth_hash()
        session.create()
        agent_cookies.append(session.session_key)
        AgentPresence.objects.update_or_create(agent=agent, defaults={"capacity": CAPACITY})
    visitor_cookies = []
    for _ in range(visitors):
        session = SessionStore()
        session["chat"] = True
        session.create()
        visitor_cookies.append(session.session_key)
    return agent_cookies, visitor_cookies


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def rss_kib(pid: int) -> int:
    import psutil

    process = psutil.Process(pid)
    return sum(p.memory_info().rss for p in [process, *process.children(recursive=True)]) // 1024


def cpu_seconds(pid: int) -> float:
    import psutil

    process = psutil.Process(pid)
    return sum(sum(p.cpu_times()[:2]) for p in [process, *process.children(recursive=True)])


def start_server(port: int, index: int = 0, profile: str = ""):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "rakuten_portal.settings", "DJANGO_DEBUG": "0",
           "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench-only-" + "x" * 50),
           "DJANGO_SECURE_SSL_REDIRECT": "0", "DJANGO_SECURE_COOKIES": "0", "LOG_LEVEL": "WARNING",
           "CHAT_HOURS": "mon-sun 00:00-24:00", "CHAT_CLOSED_ON_HOLIDAYS": "0", "CHAT_QUEUE_MAX": "100000",
           "CHAT_MESSAGES_PER_MINUTE": "60", "DATABASE_CONN_MAX_AGE": os.environ.get("DATABASE_CONN_MAX_AGE", "60"),
           "AXES_ENABLED": "0", "CHAT_LAYER_CAPACITY": os.environ.get("CHAT_LAYER_CAPACITY", "1000"),
           "CHAT_LAYER_BACKEND": LAYERS[LAYER[0]]}
    if ARENAS[0]:  # glibc's malloc arenas for the server (README, production: MALLOC_ARENA_MAX=2)
        env["MALLOC_ARENA_MAX"] = str(ARENAS[0])
    log = open(f"{SERVER_LOG}.{index}", "wb")  # noqa: SIM115 — kept open for the server's life
    daphne = ["-b", "127.0.0.1", "-p", str(port), "rakuten_portal.asgi:application"]
    if profile:  # cProfile and an SQL counter in the server (bench/chat_server_profile.py)
        command = [sys.executable, str(ROOT / "bench" / "chat_server_profile.py"), f"{profile}.{index}.json", "--",
                   *daphne]
    elif SERVER[0] == "uvicorn":  # uvicorn's event loop (uvloop), HTTP parser and websockets library
        command = [sys.executable, "-m", "uvicorn", "--host", "127.0.0.1", "--port", str(port), "--no-access-log",
                   "--log-level", "warning", "--loop", "uvloop", "--http", "httptools", "--ws", "websockets",
                   "rakuten_portal.asgi:application"]
    else:
        command = [sys.executable, "-m", "daphne", *daphne]
    server = subprocess.Popen(command, cwd=ROOT, env=env,
                              stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit("daphne did not start:\n" + Path(f"{SERVER_LOG}.{index}").read_text())
            time.sleep(0.3)
    raise SystemExit("daphne did not listen within 60 s")


class Stats:
    def __init__(self):
        self.sent: dict[str, float] = {}      # client_id → send time
        self.delivered: dict[str, float] = {}  # client_id → first receipt by the other side
        self.duplicates = 0
        self.errors: list[str] = []
        self.late_answers = 0  # a visitor gave up waiting (DELIVERY_DEADLINE) and wrote the next message
        self.takes = 0
        self.assigned_twice = 0  # visitors told `assigned` twice (broadcast + state read after joining)
        self.takes_refused = 0  # two agents (or twenty) asked for the same waiting visitor

    def reset(self):
        """Forget the warm-up (the agents keep this object)."""
        self.__init__()

    def received(self, frame: dict, seen: set):
        if frame["id"] in seen:
            self.duplicates += 1
            return
        seen.add(frame["id"])
        client_id = frame.get("client_id")
        if client_id in self.sent and client_id not in self.delivered:
            self.delivered[client_id] = time.perf_counter()


HANDSHAKE_RETRIES = [0]
LAYERS = {"pubsub": "helpdesk.chat.layers.ChatPubSubChannelLayer", "core": "channels_redis.core.RedisChannelLayer"}
LAYER = ["pubsub"]
ARENAS = [0]
SERVER = ["daphne"]


async def open_socket(url: str, cookie: str):
    """Connect, and try again (as the panel does) when a busy server dropped the handshake."""
    for attempt in range(5):
        try:
            return await _connect(url, cookie)
        except Exception:  # noqa: BLE001 — the handshake was dropped: count it and retry
            if attempt == 4:
                raise
            HANDSHAKE_RETRIES[0] += 1
            await asyncio.sleep(1 + attempt)


async def _connect(url: str, cookie: str):
    import websockets

    return await websockets.connect(url, additional_headers={"Cookie": f"sessionid={cookie}",
                                                             "Origin": url.replace("ws://", "http://").split("/ws/")[0]},
                                    max_size=2 ** 20, open_timeout=60, ping_interval=None)


async def run_agent(url, cookie, stats: Stats, stop: asyncio.Event, ready: asyncio.Event, counter: list,
                    index: int = 0, team: int = 1):
    socket_ = await open_socket(url, cookie)
    await socket_.send(json.dumps({"type": "presence", "status": "available"}))
    seen: dict[int, set] = {}
    mine: set[int] = set()
    counter[0] += 1
    if counter[0] == counter[1]:
        ready.set()

    pending: set[int] = set()

    async def take_from(frame):
        # Like an agent at the console: take the oldest waiting conversation not already asked for, one at a
        # time while seats are free (another agent may win it: `take_refused`). The agents share the list as
        # a team does (agent n first answers the visitors whose id falls to n, anyone answers a visitor
        # waiting over SHARE_AFTER s): twenty agents asking for every visitor at once would measure a
        # stampede of refused takes (7,000 for 200 visitors), not the chat. The race itself is tested in
        # tests/helpdesk/chat/test_consumers.py (two agents, one winner).
        if pending or len(mine) >= CAPACITY:
            return
        for row in frame["waiting"]:
            waited = row["waited_seconds"] + time.monotonic() - frame.get("received", time.monotonic())
            if row["id"] not in refused and (row["id"] % team == index or waited > SHARE_AFTER):
                pending.add(row["id"])
                stats.takes += 1
                await socket_.send(json.dumps({"type": "take", "conversation": row["id"]}))
                return

    refused: set[int] = set()
    last_queue = {"waiting": []}
    last_beat = time.monotonic()

    try:
        while not stop.is_set():
            try:
                raw = await asyncio.wait_for(socket_.recv(), timeout=0.5)
            except asyncio.TimeoutError:
                await take_from(last_queue)
                continue
            finally:
                if time.monotonic() - last_beat > HEARTBEAT_SECONDS:  # as the console does
                    last_beat = time.monotonic()
                    await socket_.send(json.dumps({"type": "presence", "status": "available"}))
            frame = json.loads(raw)
            kind = frame["type"]
            if kind == "queue" and "waiting" in frame:
                frame["received"] = time.monotonic()
                last_queue = frame
                await take_from(frame)
            elif kind == "taken":
                mine.add(frame["conversation"]["id"])
                pending.discard(frame["conversation"]["id"])
                await take_from(last_queue)
            elif kind == "take_refused":
                stats.takes_refused += 1
                pending.discard(frame["conversation"])
                refused.add(frame["conversation"])
                await take_from(last_queue)
            elif kind == "closed":
                mine.discard(frame["conversation"])
            elif kind == "message" and frame["author"] == "visitor":
                stats.received(frame, seen.setdefault(frame["conversation"], set()))
                client_id = str(uuid.uuid4())
                stats.sent[client_id] = time.perf_counter()
                await socket_.send(json.dumps({"type": "message", "conversation": frame["conversation"],
                                               "text": f"re: {frame['text']}", "client_id": client_id}))
            elif kind == "error":
                pending.clear()
                stats.errors.append(f"agent: {frame['code']} {frame['message']}")
    finally:
        await socket_.close()


async def run_visitor(n, url, cookie, messages: int, stats: Stats, pause: float, arrival: float):
    await asyncio.sleep(arrival)
    socket_ = await open_socket(url, cookie)
    seen: set = set()
    await socket_.send(json.dumps({"type": "start", "topic": "tracking", "name": f"Visiteur {n}",
                                   "email": f"v{n}@bench.example"}))
    # The answer to each message is awaited by its text ("re: …"): an `assigned` frame that comes twice
    # (the broadcast, and the state read again after joining) or a late answer must not stand for the next
    # one. (Before this, a second `assigned` shifted every wait by one message: the visitor ended the chat
    # before its last answer came, which was then counted lost or refused — runs A and B.)
    assigned = asyncio.Event()
    answers: dict[str, asyncio.Event] = {}
    kinds = []

    async def reader():
        async for raw in socket_:
            frame = json.loads(raw)
            kinds.append(frame["type"])
            if frame["type"] == "message" and frame["author"] == "agent":
                stats.received(frame, seen)
                answers.setdefault(frame["text"], asyncio.Event()).set()
            elif frame["type"] == "assigned" and frame.get("agent_name"):
                if assigned.is_set():
                    stats.assigned_twice += 1  # the old client took this for the first answer
                assigned.set()
            elif frame["type"] == "error":
                stats.errors.append(f"visitor: {frame['code']} {frame['message']}")

    reading = asyncio.create_task(reader())
    try:
        try:
            await asyncio.wait_for(assigned.wait(), timeout=120)
        except asyncio.TimeoutError:
            stats.errors.append(f"visitor {n}: never assigned (frames {kinds})")
            return
        for index in range(messages):
            client_id = str(uuid.uuid4())
            text = f"message {index} du visiteur {n}"
            answer = answers.setdefault(f"re: {text}", asyncio.Event())
            stats.sent[client_id] = time.perf_counter()
            await socket_.send(json.dumps({"type": "message", "text": text, "client_id": client_id}))
            try:
                await asyncio.wait_for(answer.wait(), timeout=DELIVERY_DEADLINE)
            except asyncio.TimeoutError:
                stats.late_answers += 1  # counted lost unless it arrives before the visitor leaves
            await asyncio.sleep(pause)
        await socket_.send(json.dumps({"type": "end"}))
        await asyncio.sleep(0.5)
    finally:
        reading.cancel()
        await socket_.close()


async def memory_probe(server_pids):
    """With CHAT_PROFILE_MODE=memory (and --profile): the servers count their objects, collect, trim, say RSS."""
    if os.environ.get("CHAT_PROFILE_MODE") == "memory":
        import signal

        for pid in server_pids:  # bench/chat_server_profile.py: written to PROFILE.<n>.memory.txt
            os.kill(pid, signal.SIGUSR2)
        await asyncio.sleep(2)


async def load(ports, agent_cookies, visitor_cookies, messages, pause, spread, server_pids, rounds=1, warmup=0):
    bases = [f"ws://127.0.0.1:{port}" for port in ports]  # sockets spread over the processes, round robin
    stats = Stats()
    stop, ready = asyncio.Event(), asyncio.Event()
    counter = [0, len(agent_cookies)]
    agents = [asyncio.create_task(run_agent(f"{bases[n % len(bases)]}/ws/chat/agent/", cookie, stats, stop, ready,
                                            counter, n, len(agent_cookies)))
              for n, cookie in enumerate(agent_cookies)]
    await asyncio.wait_for(ready.wait(), timeout=60)
    await asyncio.sleep(1)
    cold = sum(rss_kib(pid) for pid in server_pids)
    if warmup:
        # A few conversations first (not counted): the server loads the code of a chat's whole life once.
        await asyncio.gather(*(run_visitor(n, f"{bases[n % len(bases)]}/ws/chat/", cookie, 2, Stats(), pause, 0)
                               for n, cookie in enumerate(visitor_cookies[:warmup])))
        await asyncio.sleep(5)
        stats.reset()
    memory = {"cold": cold, "before": sum(rss_kib(pid) for pid in server_pids)}
    await memory_probe(server_pids)
    memory["cpu_before"] = sum(cpu_seconds(pid) for pid in server_pids)
    peak = memory["before"]

    async def watch():
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, sum(rss_kib(pid) for pid in server_pids))
            await asyncio.sleep(0.5)

    watcher = asyncio.create_task(watch())
    started = time.perf_counter()
    client_cpu = time.process_time()
    memory["rounds"] = []
    for _round in range(rounds):
        # Visitors arrive over `spread` seconds (all 200 are connected at once after that), not in one instant;
        # a further round brings the same visitors back on the same servers (their earlier chats closed).
        await asyncio.gather(*(run_visitor(n, f"{bases[n % len(bases)]}/ws/chat/", cookie, messages, stats, pause,
                                           spread * n / len(visitor_cookies))
                               for n, cookie in enumerate(visitor_cookies)))
        await asyncio.sleep(5)
        memory["rounds"].append(sum(rss_kib(pid) for pid in server_pids))
        await memory_probe(server_pids)
    elapsed = time.perf_counter() - started - 5 * rounds
    memory["started"] = started
    memory["client_cpu"] = time.process_time() - client_cpu
    memory["peak"] = peak
    memory["after"] = memory["rounds"][-1]
    memory["cpu"] = sum(cpu_seconds(pid) for pid in server_pids) - memory["cpu_before"]
    stop.set()
    await asyncio.gather(*agents, watcher, return_exceptions=True)
    return stats, memory, elapsed


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * fraction), len(ordered) - 1)]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--visitors", type=int, default=200)
    parser.add_argument("--agents", type=int, default=20)
    parser.add_argument("--messages", type=int, default=20, help="messages each visitor sends (each answered)")
    parser.add_argument("--pause", type=float, default=0.5, help="seconds a visitor waits between messages")
    parser.add_argument("--servers", type=int, default=1, help="daphne processes, all on the Redis layer")
    parser.add_argument("--spread", type=float, default=10.0, help="seconds over which the visitors arrive")
    parser.add_argument("--layer", choices=sorted(LAYERS), default="pubsub",
                        help="the Redis channel layer: Pub/Sub (the settings' default) or channels-redis's core layer")
    parser.add_argument("--profile",
                        help="run the servers under bench/chat_server_profile.py, writing PROFILE.<n>.json/.prof")
    parser.add_argument("--rounds", type=int, default=1,
                        help="bring the visitors back this many times on the same servers (memory after each)")
    parser.add_argument("--warmup", type=int, default=0,
                        help="visitors who chat once (not counted) before the memory 'before' is read")
    parser.add_argument("--write", help="also write the figures to this Markdown file")
    parser.add_argument("--server", choices=["daphne", "uvicorn"], default="daphne",
                        help="the ASGI server of each process (README, production: either)")
    parser.add_argument("--malloc-arena-max", type=int, default=int(os.environ.get("MALLOC_ARENA_MAX", 0) or 0),
                        help="MALLOC_ARENA_MAX for the servers (glibc; 0: glibc's default, 8 per core)")
    args = parser.parse_args()
    LAYER[0] = args.layer
    ARENAS[0] = args.malloc_arena_max
    SERVER[0] = args.server
    if args.agents * CAPACITY < args.visitors:
        raise SystemExit(f"{args.agents} agents × {CAPACITY} seats cannot take {args.visitors} visitors at once")

    import redis

    redis.Redis.from_url(os.environ["CHANNEL_LAYER_URL"]).flushdb()
    setup_django()
    ensure_database()
    agent_cookies, visitor_cookies = prepare(args.visitors, args.agents)
    from django.db import connections

    connections.close_all()
    ports = [free_port() for _ in range(args.servers)]
    servers = [start_server(port, index, args.profile or "") for index, port in enumerate(ports)]
    try:
        stats, memory, elapsed = asyncio.run(load(ports, agent_cookies, visitor_cookies, args.messages, args.pause,
                                                  args.spread, [server.pid for server in servers], args.rounds,
                                                  args.warmup))
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)

    from helpdesk.chat.models import ChatMessage, Conversation

    latencies = [(stats.delivered[c] - stats.sent[c]) * 1000 for c in stats.delivered]
    # While visitors still arrive (each start costs the server a few dozen queries) and once all are in.
    arrived = memory["started"] + args.spread + 1
    steady = [(stats.delivered[c] - stats.sent[c]) * 1000 for c in stats.delivered if stats.sent[c] > arrived]
    arriving = [(stats.delivered[c] - stats.sent[c]) * 1000 for c in stats.delivered if stats.sent[c] <= arrived]
    stored_ids = {str(c) for c in ChatMessage.objects.values_list("client_id", flat=True)}
    stored = len(stored_ids)
    # Lost: stored by the server (so accepted) and never delivered to the other side. A message the
    # server refused (an answer to a conversation the visitor had just ended) is "refused", with its error.
    lost = len([c for c in stats.sent if c in stored_ids and c not in stats.delivered])
    refused = len([c for c in stats.sent if c not in stored_ids])
    from collections import Counter

    kinds = Counter(error.split(" (frames")[0].split(":")[0] + ": " + error.split(": ", 1)[1].split(" ")[0]
                    for error in stats.errors)
    closed = Conversation.objects.filter(state="closed").count()
    lines = [
        f"Chat load: {args.visitors} visitors, {args.agents} agents, {args.messages} messages per visitor, "
        f"each answered ({len(stats.sent)} messages sent{f', {args.rounds} rounds' if args.rounds > 1 else ''}), arrivals over {args.spread:g} s, a pause of {args.pause:g} s between a reply and the next message, {args.server} ({args.servers} process{'es' if args.servers > 1 else ''}) on {os.environ['CHANNEL_LAYER_URL']} ({args.layer} layer), "
        f"PostgreSQL{f', MALLOC_ARENA_MAX={ARENAS[0]}' if ARENAS[0] else ''}; {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        f"  run time              {elapsed:8.1f} s",
        f"  delivery latency p50  {statistics.median(latencies) if latencies else float('nan'):8.1f} ms",
        f"  delivery latency p99  {percentile(latencies, 0.99) if latencies else float('nan'):8.1f} ms",
        f"  delivery latency max  {max(latencies) if latencies else float('nan'):8.1f} ms",
        f"  p50/p99 while arriving {statistics.median(arriving) if arriving else float('nan'):7.1f} / "
        f"{percentile(arriving, 0.99) if arriving else float('nan'):.1f} ms   ({len(arriving)} messages sent in the "
        f"first {args.spread + 1:g} s, visitors still arriving)",
        f"  p50/p99 all arrived   {statistics.median(steady) if steady else float('nan'):8.1f} / "
        f"{percentile(steady, 0.99) if steady else float('nan'):.1f} ms   ({len(steady)} messages sent after)",
        f"  messages lost         {lost:8d}",
        f"  messages duplicated   {stats.duplicates:8d}",
        f"  messages refused      {refused:8d}   (the server said why, e.g. the conversation had ended)",
        f"  messages stored       {stored:8d}   (database rows; conversations closed: {closed})",
        f"  error frames          {len(stats.errors):8d}   {dict(kinds)}",
        f"  handshakes retried    {HANDSHAKE_RETRIES[0]:8d}   (the server dropped the handshake while busy)",
        f"  answers waited > {DELIVERY_DEADLINE:g} s {stats.late_answers:5d}",
        f"  `assigned` twice      {stats.assigned_twice:8d}   (visitors taken between their start and their joining "
        f"the group: the broadcast and the state read again)",
        f"  takes                 {stats.takes:8d}   ({stats.takes_refused} refused: another agent had taken it)",
        f"  server CPU            {memory['cpu']:8.1f} s    ({memory['cpu'] * 1000 / max(stored, 1):.2f} ms per stored message, "
        f"everything included: starts, takes, ends, queue news)",
        *([f"  server memory cold    {memory['cold'] / 1024:8.1f} MiB   (agents connected, no chat yet)"]
          if args.warmup else []),
        f"  client CPU            {memory['client_cpu']:8.1f} s    (this script, one process, same machine: its "
        f"own delays count in the latency)",
        f"  server memory before  {memory['before'] / 1024:8.1f} MiB   (agents connected, no visitor"
        f"{f', after {args.warmup} warm-up chats' if args.warmup else ''})",
        f"  server memory peak    {memory['peak'] / 1024:8.1f} MiB",
        f"  server memory after   {memory['after'] / 1024:8.1f} MiB   (every visitor gone, agents still connected)",
        *([f"  memory after each round {', '.join(f'{kib / 1024:.1f}' for kib in memory['rounds'])} MiB"]
          if len(memory["rounds"]) > 1 else []),
    ]
    print("\n".join(lines))
    if args.write:
        Path(args.write).write_text("```\n" + "\n".join(lines) + "\n```\n")


if __name__ == "__main__":
    main()
