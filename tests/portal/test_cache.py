"""The cache says whether Redis answers (for the readiness check), and acts as an empty
cache while it does not."""

import logging

import pytest
import redis
from django.core.cache import cache

from portal.cache import ReusedRedisCacheClient, cache_ok

DOWN = {
    "default": {
        "BACKEND": "portal.cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}


def test_cache_ok_says_no_when_redis_does_not_answer(settings):
    settings.CACHES = DOWN
    assert cache_ok() is False


def test_a_redis_that_does_not_answer_is_an_empty_cache(settings, caplog):
    settings.CACHES = DOWN
    caplog.set_level(logging.WARNING, logger="portal.cache")
    assert cache.get("nøkkel", "standard") == "standard"
    assert cache.set("nøkkel", 1) is None
    # allauth takes its lock with add: it must succeed, or nobody could log in.
    assert cache.add("lås", 1) is True
    assert cache.get_many(["a", "b"]) == {}
    assert cache.delete("nøkkel") is False
    with pytest.raises(ValueError):
        cache.incr("teller")
    assert len(caplog.records) == 1


def test_cache_ok_says_yes_for_the_memory_cache_of_development():
    assert cache_ok() is True


@pytest.mark.redis
def test_with_a_real_redis_the_cache_works_and_says_so(settings):
    assert settings.CACHES["default"]["BACKEND"] == "portal.cache.ResilientRedisCache"
    assert cache_ok() is True
    assert cache.add("nøkkel", 1) is True
    assert cache.add("nøkkel", 2) is False
    assert cache.incr("nøkkel") == 2
    assert cache.get("nøkkel") == 2


@pytest.mark.redis
def test_cache_calls_share_one_redis_client(monkeypatch):
    # Django's RedisCache makes a redis.Redis per call, 0.13 ms each on the session read of
    # every page; the portal's keeps one per connection pool.
    made = []
    construct = redis.Redis.__init__

    def counted(client, *args, **kwargs):
        made.append(client)
        construct(client, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "__init__", counted)
    for number in range(5):
        cache.set(f"nøkkel-{number}", number)
        assert cache.get(f"nøkkel-{number}") == number
    assert isinstance(cache._cache, ReusedRedisCacheClient)
    assert len(made) <= 1  # the first call of the test may make it
