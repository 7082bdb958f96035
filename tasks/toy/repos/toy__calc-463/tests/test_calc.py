import calc


def test_dec():
    assert calc.dec(4) == 3
