import mathx


def test_div():
    assert mathx.div(9, 2) == 4.5
