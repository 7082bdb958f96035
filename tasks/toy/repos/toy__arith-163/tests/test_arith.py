import arith


def test_div():
    assert arith.div(7, 2) == 3.5
