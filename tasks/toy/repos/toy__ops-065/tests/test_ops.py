import ops


def test_add():
    assert ops.add(7, 2) == 9


def test_half():
    assert ops.half(3) == 1.5


def test_tenfold():
    assert ops.tenfold(5) == 50
