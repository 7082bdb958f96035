from semverlite import satisfies


def test_comparators():
    assert satisfies("1.5.0", ">=1.0.0 <2.0.0")
    assert not satisfies("2.0.0", ">=1.0.0 <2.0.0")


def test_or():
    assert satisfies("3.1.0", "1.x.x || >=3.0.0".replace("1.x.x", "<1.0.0"))


def test_caret_major():
    assert satisfies("1.9.0", "^1.2.3")
    assert not satisfies("2.0.0", "^1.2.3")
    assert not satisfies("1.2.2", "^1.2.3")


def test_tilde():
    assert satisfies("1.2.9", "~1.2.3")
    assert not satisfies("1.3.0", "~1.2.3")
    assert satisfies("1.9.0", "~1")
