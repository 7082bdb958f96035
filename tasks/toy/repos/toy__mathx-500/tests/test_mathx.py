import mathx


def test_div():
    assert mathx.div(5, 4) == 1.25
