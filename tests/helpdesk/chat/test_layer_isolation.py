"""Two test processes on one Redis (two pytest-xdist workers, two runs at once) never hear each other's chat groups.

The chat's groups have fixed names (chat.agents, chat.queue, chat.conv.<id>); rakuten_portal/settings_test.py gives
each test process a layer prefix of its own. A Redis db of its own would not do: Pub/Sub channels are shared by
every db of a server. Checked with real processes on the settings' own layer: a console's group in one "worker",
a broadcast from another, then the same broadcast under the listener's prefix (the crossing the prefix prevents).
"""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
REDIS_URL = os.environ.get("CHAT_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")

SCRIPT = r"""
import asyncio, os, sys
import django
django.setup()
from django.conf import settings
from channels.layers import get_channel_layer

role, argument = sys.argv[1], sys.argv[2]
if role == "send" and argument != "-":
    settings.CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = argument  # as if both processes had one prefix

async def main():
    layer = get_channel_layer()
    if role == "listen":
        channel = await layer.new_channel()
        await layer.group_add("chat.agents", channel)
        print("ready", layer.prefix, flush=True)
        # The first broadcast heard: the senders run one after the other, so a crossing would come first.
        try:
            message = await asyncio.wait_for(layer.receive(channel), float(argument))
            print("got", message["text"], flush=True)
        except asyncio.TimeoutError:
            print("nothing", flush=True)
    else:
        await layer.group_send("chat.agents", {"type": "chat.frame", "text": os.environ["PYTEST_XDIST_WORKER"]})
        await asyncio.sleep(0.2)

asyncio.run(main())
"""


def worker(name, *args, **kwargs):
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "rakuten_portal.settings_test", "CHANNEL_LAYER_URL": REDIS_URL,
                   "PYTEST_XDIST_WORKER": name}
    return subprocess.Popen([sys.executable, "-c", SCRIPT, *args], cwd=ROOT, env=environment, text=True,
                            stdout=subprocess.PIPE, **kwargs)


def test_two_test_processes_on_one_redis_do_not_share_the_chat_groups():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.ConnectionError:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    listener = worker("gw0", "listen", "60")
    try:
        ready = listener.stdout.readline().split()
        assert ready[:1] == ["ready"] and ready[1].startswith("test-gw0-")
        assert worker("gw1", "send", "-").wait(timeout=60) == 0  # its own prefix
        assert worker("gw2", "send", ready[1]).wait(timeout=60) == 0  # the listener's prefix
        out, _ = listener.communicate(timeout=60)
    finally:
        listener.kill()
    assert out.strip() == "got gw2"
