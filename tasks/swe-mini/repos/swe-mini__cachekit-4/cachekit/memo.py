"""memoize: cache a function's results in an LRU cache."""
import functools
from collections import namedtuple

from .keys import make_key
from .lru import LRUCache

CacheInfo = namedtuple("CacheInfo", "hits misses maxsize currsize")
_MISSING = object()


def memoize(maxsize=128):
    def decorate(function):
        cache = LRUCache(maxsize)
        stats = {"hits": 0, "misses": 0}

        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            key = make_key(args, kwargs)
            value = cache.get(key, _MISSING)
            if value is not _MISSING:
                stats["hits"] += 1
                return value
            stats["misses"] += 1
            value = function(*args, **kwargs)
            cache.put(key, value)
            return value

        def cache_info():
            return CacheInfo(stats["hits"], stats["misses"], maxsize, len(cache))

        def cache_clear():
            cache.clear()
            stats["hits"] = stats["misses"] = 0

        wrapper.cache_info = cache_info
        wrapper.cache_clear = cache_clear
        return wrapper

    return decorate
