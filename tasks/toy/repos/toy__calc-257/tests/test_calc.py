import calc


def test_dec():
    assert calc.dec(3) == 2
