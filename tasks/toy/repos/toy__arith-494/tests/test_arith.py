import arith


def test_div():
    assert arith.div(8, 2) == 4
