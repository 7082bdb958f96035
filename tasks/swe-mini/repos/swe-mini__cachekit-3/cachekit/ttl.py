"""A cache whose entries expire `ttl` seconds after they were stored."""
import time


class TTLCache:
    def __init__(self, ttl, clock=time.monotonic):
        if ttl <= 0:
            raise ValueError("ttl must be positive, got %r" % (ttl,))
        self.ttl = ttl
        self._clock = clock
        self._data = {}

    def _expired(self, stored_at):
        return self._clock() - stored_at >= self.ttl

    def put(self, key, value):
        self._data[key] = (value, self._clock())

    def get(self, key, default=None):
        entry = self._data.get(key)
        if entry is None:
            return default
        value, stored_at = entry
        if self._expired(stored_at):
            del self._data[key]
            return default
        return value

    def __contains__(self, key):
        entry = self._data.get(key)
        return entry is not None and not self._expired(entry[1])

    def purge(self):
        """Drop expired entries; returns how many were dropped."""
        dead = [k for k, (_, t) in self._data.items() if self._expired(t)]
        for k in dead:
            del self._data[k]
        return len(dead)

    def __len__(self):
        return sum(1 for _, t in self._data.values() if not self._expired(t))
