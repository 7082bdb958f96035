import mathx


def test_triple():
    assert mathx.triple(9) == 27
