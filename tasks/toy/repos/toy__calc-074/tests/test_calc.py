import calc


def test_half():
    assert calc.half(3) == 1.5


def test_add():
    assert calc.add(9, 3) == 12


def test_dec():
    assert calc.dec(3) == 2
