import calc


def test_dec():
    assert calc.dec(5) == 4
