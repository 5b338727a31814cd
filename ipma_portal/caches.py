"""Caches on Redis (rate limits, reference-data versions): a Redis outage must not turn pages into errors."""

import logging

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)


class FailOpenRedisCache(RedisCache):
    """While Redis is away, reads miss and counters are not kept (django-ratelimit then fails open)."""

    def add(self, *args, **kwargs):
        try:
            return super().add(*args, **kwargs)
        except redis.RedisError:
            logger.warning("Rate-limit cache unavailable; request allowed")
            return False

    def incr(self, *args, **kwargs):
        try:
            return super().incr(*args, **kwargs)
        except redis.RedisError:
            return None

    def set(self, *args, **kwargs):
        try:
            return super().set(*args, **kwargs)
        except redis.RedisError:
            logger.warning("Cache unavailable; value not stored")
            return None

    def delete(self, *args, **kwargs):
        try:
            return super().delete(*args, **kwargs)
        except redis.RedisError:
            return False

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except redis.RedisError:
            return default


class SessionCache(FailOpenRedisCache):
    """The copies of sessions that ``cached_db`` keeps beside the database rows (SESSION_CACHE_ALIAS).

    The database stays the record: with Redis away every read goes to the row and signing in still works
    (``has_key``, which ``cached_db`` asks when it picks a new session key, misses instead of failing).
    No copy is kept longer than ``MAX_TIMEOUT`` seconds: a copy whose removal failed while Redis was away
    (a sign-out, a session key rotated on a change of privileges) is gone within that time.
    """

    def __init__(self, server, params):
        super().__init__(server, params)
        self.max_timeout = int(params.get("MAX_TIMEOUT", 300))

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except redis.RedisError:
            return False

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        if timeout is DEFAULT_TIMEOUT:
            timeout = self.default_timeout
        timeout = self.max_timeout if timeout is None else min(timeout, self.max_timeout)
        return super().set(key, value, timeout, version)

    def delete(self, key, version=None):
        try:
            return super(FailOpenRedisCache, self).delete(key, version)
        except redis.RedisError:
            logger.warning("Session cache unavailable: a session's copy may outlive its row by up to %ss", self.max_timeout)
            return False
