import ops


def test_half():
    assert ops.half(9) == 4.5


def test_inc():
    assert ops.inc(3) == 4


def test_add():
    assert ops.add(5, 4) == 9
