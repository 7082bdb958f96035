import ops


def test_add():
    assert ops.add(6, 4) == 10


def test_triple():
    assert ops.triple(4) == 12


def test_sub():
    assert ops.sub(8, 3) == 5
