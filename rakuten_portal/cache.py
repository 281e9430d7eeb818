"""Django's Redis cache, with one client object per connection pool instead of one per operation.

django.core.cache.backends.redis builds a new `redis.Redis` for every get, set or add (about 60 µs, as much as
the round trip itself on this machine); a client is thread-safe and holds nothing but its pool, so one per
pool serves every operation. Same keys, same serialisation, same pools: only the wrapper is kept.
"""
from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class _ReusedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None or client.connection_pool is not pool:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class PortalRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusedClientRedisCacheClient
