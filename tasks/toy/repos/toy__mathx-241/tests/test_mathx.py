import mathx


def test_triple():
    assert mathx.triple(5) == 15
