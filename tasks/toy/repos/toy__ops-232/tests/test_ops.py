import ops


def test_double():
    assert ops.double(5) == 10
