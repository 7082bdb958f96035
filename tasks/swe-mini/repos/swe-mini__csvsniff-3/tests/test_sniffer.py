import pytest

from csvsniff import SniffError, sniff


def test_comma():
    d = sniff("name,age\nann,31\nbob,45\n")
    assert d.delimiter == ","
    assert d.has_header


def test_semicolon():
    assert sniff("a;b;c\n1;2;3\n").delimiter == ";"


def test_tab_without_header():
    d = sniff("x\ty\nz\tw\n")
    assert d.delimiter == "\t"
    assert not d.has_header


def test_single_quotes():
    assert sniff("'a','b'\n'c','d'\n").quotechar == "'"


def test_no_delimiter():
    with pytest.raises(SniffError):
        sniff("just some text\nmore text\n")
