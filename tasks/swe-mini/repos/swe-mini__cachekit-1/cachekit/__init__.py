"""In-memory caches."""
from .lru import LRUCache
from .memo import CacheInfo, memoize
from .ttl import TTLCache

__all__ = ["LRUCache", "TTLCache", "memoize", "CacheInfo"]
