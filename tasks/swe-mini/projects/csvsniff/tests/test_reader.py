from csvsniff import Dialect, read_rows, split_row


def test_plain():
    assert split_row("a,b,c") == ["a", "b", "c"]


def test_quoted_delimiter():
    assert split_row('a,"b,c",d') == ["a", "b,c", "d"]


def test_other_delimiter():
    assert split_row("a;b", ";") == ["a", "b"]


def test_read_rows_skips_blank_lines():
    assert read_rows("a,b\n\nc,d\n", Dialect(",")) == [["a", "b"], ["c", "d"]]
