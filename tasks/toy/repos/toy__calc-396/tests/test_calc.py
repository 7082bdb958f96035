import calc


def test_dec():
    assert calc.dec(6) == 5
