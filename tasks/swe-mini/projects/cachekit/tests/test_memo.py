from cachekit import memoize


def test_memoize_caches():
    calls = []

    @memoize()
    def square(x):
        calls.append(x)
        return x * x

    assert square(3) == 9
    assert square(3) == 9
    assert calls == [3]
    assert square.cache_info().hits == 1
    assert square.cache_info().misses == 1


def test_cache_clear():
    @memoize()
    def f(x):
        return x

    f(1)
    f.cache_clear()
    assert f.cache_info() == (0, 0, 128, 0)
