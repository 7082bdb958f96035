import arith


def test_div():
    assert arith.div(7, 4) == 1.75
