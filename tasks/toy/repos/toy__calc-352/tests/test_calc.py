import calc


def test_inc():
    assert calc.inc(8) == 9
