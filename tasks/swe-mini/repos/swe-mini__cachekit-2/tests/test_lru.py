import pytest

from cachekit import LRUCache


def test_put_get():
    c = LRUCache(2)
    c.put("a", 1)
    assert c.get("a") == 1
    assert c.get("zz") is None
    assert c.get("zz", 0) == 0


def test_evicts_oldest():
    c = LRUCache(2)
    c.put("a", 1)
    c.put("b", 2)
    c.put("c", 3)
    assert "a" not in c
    assert c.keys() == ["b", "c"]


def test_negative_capacity():
    with pytest.raises(ValueError):
        LRUCache(-1)


def test_clear():
    c = LRUCache(2)
    c.put("a", 1)
    c.clear()
    assert len(c) == 0
