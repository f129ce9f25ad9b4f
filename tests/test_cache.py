"""lms.cache.RedisCache: Django's Redis backend reusing one client per server (lms/cache.py)."""

import os
import uuid

import pytest
import redis

from lms.cache import RedisCache


def test_one_client_per_server_is_reused():
    cache = RedisCache("redis://127.0.0.1:6379/0", {})

    first = cache._cache.get_client("a")
    assert cache._cache.get_client("b") is first
    assert cache._cache.get_client("c", write=True) is first
    assert isinstance(first, redis.Redis)
    assert first.connection_pool is cache._cache._pools[0]


def test_reads_use_the_replicas_and_writes_the_first_server():
    cache = RedisCache("redis://primary.invalid:6379/0,redis://replica.invalid:6379/0", {})

    writer = cache._cache.get_client(write=True)
    reader = cache._cache.get_client()
    assert reader is not writer
    assert writer.connection_pool.connection_kwargs["host"] == "primary.invalid"
    assert reader.connection_pool.connection_kwargs["host"] == "replica.invalid"
    assert cache._cache.get_client() is reader


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs a Redis server (REDIS_URL)")
def test_values_round_trip_through_the_shared_client():
    cache = RedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": f"test-cache-{uuid.uuid4().hex}"})
    cache.set("roles", ["learner"], 30)
    cache.set("count", 3, 30)

    assert cache.get("roles") == ["learner"]
    assert cache.incr("count") == 4
    assert cache.get_many(["roles", "count", "missing"]) == {"roles": ["learner"], "count": 4}
    cache.delete_many(["roles", "count"])
    assert cache.get("roles") is None
