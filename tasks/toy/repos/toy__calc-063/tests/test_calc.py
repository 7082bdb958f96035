import calc


def test_dec():
    assert calc.dec(9) == 8
