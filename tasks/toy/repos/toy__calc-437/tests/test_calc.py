import calc


def test_inc():
    assert calc.inc(3) == 4
