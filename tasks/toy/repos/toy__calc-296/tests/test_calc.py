import calc


def test_inc():
    assert calc.inc(9) == 10
