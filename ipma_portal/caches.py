"""Caches on Redis (rate limits, reference-data versions): a Redis outage must not turn pages into errors."""

import logging

import redis
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
