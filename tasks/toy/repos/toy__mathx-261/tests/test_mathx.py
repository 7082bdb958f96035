import mathx


def test_div():
    assert mathx.div(6, 4) == 1.5
