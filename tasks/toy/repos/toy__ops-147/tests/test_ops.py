import ops


def test_double():
    assert ops.double(4) == 8
