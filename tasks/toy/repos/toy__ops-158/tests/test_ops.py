import ops


def test_add():
    assert ops.add(5, 3) == 8


def test_half():
    assert ops.half(6) == 3


def test_div():
    assert ops.div(9, 4) == 2.25
