import ops


def test_double():
    assert ops.double(6) == 12
