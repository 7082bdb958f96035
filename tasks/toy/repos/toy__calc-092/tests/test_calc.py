import calc


def test_add():
    assert calc.add(7, 2) == 9
