import ops


def test_add():
    assert ops.add(9, 3) == 12


def test_half():
    assert ops.half(9) == 4.5


def test_inc():
    assert ops.inc(4) == 5
