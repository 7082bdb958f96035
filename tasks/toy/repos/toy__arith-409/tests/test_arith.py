import arith


def test_div():
    assert arith.div(8, 4) == 2
