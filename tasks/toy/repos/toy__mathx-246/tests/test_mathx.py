import mathx


def test_div():
    assert mathx.div(8, 2) == 4
