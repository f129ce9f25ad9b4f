"""Django's Redis cache backend, with one Redis client per server instead of one per cache operation.

Django's RedisCacheClient builds a new `redis.Redis` object for every get/set (its connection pool is kept):
with redis-py 8 that constructor fills a table of ~170 response callbacks each time, which cost an autosave
(issue 8, E1: session read + roles read) more CPU than the two Redis round trips themselves. A `redis.Redis`
over a connection pool is safe to share between threads (each command borrows a pooled connection) and the
pool reconnects after a fork, so the client is made once per server and reused. Nothing else changes: same
pools, same serializer, same keys and timeouts.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        # Django picks the server (a replica at random for a read) and keeps its pool; the client over that
        # pool is made once. Pools live as long as the cache, so their ids name them.
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
