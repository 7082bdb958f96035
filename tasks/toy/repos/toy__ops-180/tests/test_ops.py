import ops


def test_double():
    assert ops.double(8) == 16
