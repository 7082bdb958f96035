import calc


def test_add():
    assert calc.add(5, 2) == 7
