import calc


def test_dec():
    assert calc.dec(8) == 7
