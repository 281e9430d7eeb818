"""The chat's step of the periodic sweep: lapsed agents' conversations back to the queue, idle ones closed."""
import logging
from dataclasses import dataclass
from datetime import datetime

from . import broadcast
from .domain import conversations_close_idle, presences_lapse

logger = logging.getLogger(__name__)


@dataclass
class ChatSweepResult:
    released: int = 0
    closed: int = 0

    @property
    def total(self) -> int:
        return self.released + self.closed


async def _announce(released: list[int], closed: list) -> None:
    for conversation_id in released:
        await broadcast.conversation_released(conversation_id)
    for conversation in closed:
        await broadcast.conversation_closed(conversation, queue=False)
    await broadcast.queue_broadcast()  # now: this loop ends when the sweep returns


def chat_sweep(*, now: datetime) -> ChatSweepResult:
    """Run both steps (each compare-and-set, safe twice), then tell the sockets; a layer down loses only news."""
    released = presences_lapse(now=now)
    closed = conversations_close_idle(now=now)
    if (released or closed) and not broadcast.from_sync(_announce, released, closed):
        logger.warning("Chat sweep: channel layer down, %s releases and %s closes not announced",
                       len(released), len(closed))
    return ChatSweepResult(released=len(released), closed=len(closed))
