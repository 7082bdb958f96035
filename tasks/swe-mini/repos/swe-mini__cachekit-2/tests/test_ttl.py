from cachekit import TTLCache


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_fresh_entry():
    clock = Clock()
    c = TTLCache(10, clock=clock)
    c.put("a", 1)
    clock.now = 5
    assert c.get("a") == 1
    assert "a" in c


def test_expired_entry():
    clock = Clock()
    c = TTLCache(10, clock=clock)
    c.put("a", 1)
    clock.now = 11
    assert c.get("a") is None
    assert "a" not in c
    assert len(c) == 0


def test_purge():
    clock = Clock()
    c = TTLCache(10, clock=clock)
    c.put("a", 1)
    clock.now = 8
    c.put("b", 2)
    clock.now = 12
    assert c.purge() == 1
    assert c.get("b") == 2
