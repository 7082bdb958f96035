import ops


def test_div():
    assert ops.div(7, 4) == 1.75


def test_sub():
    assert ops.sub(5, 2) == 3


def test_dec():
    assert ops.dec(5) == 4
