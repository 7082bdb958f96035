import ops


def test_double():
    assert ops.double(6) == 12


def test_inc():
    assert ops.inc(3) == 4


def test_rem():
    assert ops.rem(9, 3) == 0
