from textkit import dedent, indent


def test_dedent_common_prefix():
    assert dedent("    a\n      b\n    c") == "a\n  b\nc"


def test_dedent_nothing_common():
    assert dedent("a\n  b") == "a\n  b"


def test_indent_skips_blank_lines():
    assert indent("a\n\nb\n", "> ") == "> a\n\n> b\n"


def test_indent_predicate():
    assert indent("a\nb\n", "# ", lambda line: line.startswith("a")) == "# a\nb\n"
