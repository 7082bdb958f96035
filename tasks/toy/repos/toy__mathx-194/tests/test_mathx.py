import mathx


def test_div():
    assert mathx.div(9, 4) == 2.25
