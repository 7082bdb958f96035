import mathx


def test_triple():
    assert mathx.triple(7) == 21
