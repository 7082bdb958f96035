import calc


def test_add():
    assert calc.add(8, 4) == 12
