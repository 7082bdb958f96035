import calc


def test_inc():
    assert calc.inc(6) == 7
