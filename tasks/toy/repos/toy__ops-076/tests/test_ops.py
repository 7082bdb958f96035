import ops


def test_double():
    assert ops.double(7) == 14
