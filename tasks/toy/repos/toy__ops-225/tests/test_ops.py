import ops


def test_double():
    assert ops.double(3) == 6
