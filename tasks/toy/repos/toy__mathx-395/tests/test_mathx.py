import mathx


def test_triple():
    assert mathx.triple(3) == 9
