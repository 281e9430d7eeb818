"""Sending frames over the channel layer: one small group per conversation, the agents, each agent, the queue.

The database is the record; the layer only carries news. A lost layer message costs a live update,
never a message: the next `resume` replays from the database.
"""
import asyncio
import logging
import weakref

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.utils import timezone

from . import frames
from .db import in_thread

logger = logging.getLogger(__name__)

AGENTS = "chat.agents"
QUEUE = "chat.queue"
# Queue news is coalesced: one broadcast for every change within this window, per process.
QUEUE_COALESCE_SECONDS = 0.2
_queue_scheduled: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict]" = weakref.WeakKeyDictionary()


def conversation_group(conversation_id: int) -> str:
    return f"chat.conv.{conversation_id}"


def agent_group(agent_id: int) -> str:
    return f"chat.agent.{agent_id}"


class LayerDown(Exception):
    """The channel layer (Redis) did not take the message."""


async def send(group: str, event: dict) -> None:
    try:
        await get_channel_layer().group_send(group, event)
    except Exception as exc:  # noqa: BLE001 — any transport failure: the caller tells the user
        logger.warning("Channel layer unavailable (group %s)", group, exc_info=True)
        raise LayerDown(str(exc)) from exc


async def to_conversation(conversation_id: int, frame: dict, *, audience: str = "all", exclude: str = "") -> None:
    """A frame for the visitor's sockets and the agent's of one conversation (audience: visitor, agent, all)."""
    await send(conversation_group(conversation_id),
               {"type": "chat.frame", "frame": frame, "audience": audience, "exclude": exclude})


async def to_agent(agent_id: int, event: dict) -> None:
    await send(agent_group(agent_id), event)


async def queue_changed() -> None:
    """Soon tell every console the new list and every waiting visitor their new place (changes coalesced).

    Each start, take or close moves everyone's place: broadcasting each at once would send n frames to n
    sockets for n arrivals. One broadcast per window carries the state after all of them.
    """
    loop = asyncio.get_running_loop()
    state = _queue_scheduled.setdefault(loop, {"task": None, "dirty": False})
    state["dirty"] = True
    if state["task"] is None or state["task"].done():
        state["task"] = loop.create_task(_queue_broadcast_soon(state))


async def _queue_broadcast_soon(state: dict) -> None:
    # A change that comes while this runs marks the state dirty again: one more round, never a lost update.
    while state["dirty"]:
        state["dirty"] = False
        await asyncio.sleep(QUEUE_COALESCE_SECONDS)
        try:
            await queue_broadcast()
        except LayerDown:
            return  # the sockets learn the queue again on their next frame or reconnect


async def queue_news_sent() -> None:
    """Wait for this loop's pending queue broadcast, if any (a process shutting down, a test ending)."""
    state = _queue_scheduled.get(asyncio.get_running_loop())
    if state is not None and state["task"] is not None:
        await asyncio.gather(state["task"], return_exceptions=True)


async def queue_broadcast() -> None:
    """Tell every console the new list and every waiting visitor their new place, now."""
    update = await in_thread(frames.queue_update, now=timezone.now())
    await send(AGENTS, {"type": "chat.frame", "frame": update["agents_frame"], "audience": "agent", "exclude": ""})
    await send(AGENTS, {"type": "chat.frame", "frame": update["agents_list"], "audience": "agent", "exclude": ""})
    await send(QUEUE, {"type": "chat.queue", "waiting_ids": update["waiting_ids"], "estimate": update["estimate"],
                       "fallback_after_seconds": update["fallback_after_seconds"]})


async def conversation_closed(conversation, *, queue: bool = True) -> None:
    """Both sides hear of the close; the agent's consoles leave its group; the lists change."""
    await to_conversation(conversation.pk, await in_thread(frames.closed, conversation=conversation))
    if conversation.agent_id:
        await to_agent(conversation.agent_id, {"type": "chat.leave", "conversation": conversation.pk})
    if queue:
        await queue_changed()


async def conversation_released(conversation_id: int) -> None:
    """The agent left: the visitor is back in the queue (their place comes with the next queue update)."""
    await to_conversation(conversation_id, {"type": "assigned", "agent_name": ""}, audience="visitor")


async def ping() -> bool:
    """Whether the layer takes a message (Redis up); the in-memory layer always does."""
    try:
        await send("chat.health", {"type": "chat.health"})
    except LayerDown:
        return False
    return True


def from_sync(coroutine_function, *args, **kwargs) -> bool:
    """Run a broadcast from synchronous code (the sweep, a view); False if the layer was down."""
    try:
        async_to_sync(coroutine_function)(*args, **kwargs)
    except LayerDown:
        return False
    return True
