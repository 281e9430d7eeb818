"""The chat's Redis channel layer: channels-redis's Pub/Sub layer, with a socket still accepted when Redis is down.

Why Pub/Sub (settings.CHAT_LAYER_BACKEND, docs/chat-benchmark.md): a group_send is one PUBLISH and the
frame reaches every process that has a member, without a Redis command per receipt. The list-based
`channels_redis.core.RedisChannelLayer` costs ~17 Redis commands per chat message (group lookup,
one script per receiver, a blocking pop and its backup per receipt) and drops frames past a socket's
`capacity` or `expiry`. Pub/Sub delivers at most once, as the core layer does under load: the
database is the record and a socket resumes from the last id it showed (docs/chat-protocol.md).

The one change: channels-redis subscribes a socket's own channel in `new_channel()`, which Channels
calls before the consumer's `connect()`; with Redis down that raised there, and the socket was dropped
without a word. Here the channel is still made (its local queue), so the consumer accepts the socket
and says `error {code: unavailable}` when its group_add fails, as the protocol promises. The chat never
sends to a socket's own channel (everything goes through groups), so nothing waits on that subscription.
"""
import asyncio
import logging
import uuid

from channels_redis.pubsub import RedisPubSubChannelLayer, RedisPubSubLoopLayer
from channels_redis.utils import _wrap_close

logger = logging.getLogger(__name__)


class _ChatLoopLayer(RedisPubSubLoopLayer):
    async def new_channel(self, prefix="specific."):
        channel = f"{self.prefix}{prefix}{uuid.uuid4().hex}"  # as channels-redis names it
        try:
            await self._subscribe_to_channel(channel)
        except Exception:  # noqa: BLE001 — Redis down: the local queue is there, the consumer tells the user
            logger.warning("Chat layer: Redis refused a new channel", exc_info=True)
            self.channels.setdefault(channel, asyncio.Queue())
        return channel


class ChatPubSubChannelLayer(RedisPubSubChannelLayer):
    def _get_layer(self):
        loop = asyncio.get_running_loop()
        try:
            return self._layers[loop]
        except KeyError:
            layer = _ChatLoopLayer(*self._args, **self._kwargs, channel_layer=self)
            self._layers[loop] = layer
            _wrap_close(self, loop)
            return layer
