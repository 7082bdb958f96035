import mathx


def test_triple():
    assert mathx.triple(4) == 12
