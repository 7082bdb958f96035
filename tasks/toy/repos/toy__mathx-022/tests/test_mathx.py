import mathx


def test_triple():
    assert mathx.triple(6) == 18
