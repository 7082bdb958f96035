import mathx


def test_div():
    assert mathx.div(5, 2) == 2.5
