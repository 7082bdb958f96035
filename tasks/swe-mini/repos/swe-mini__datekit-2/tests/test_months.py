import datetime

from datekit import add_months, month_end

D = datetime.date


def test_add_months_simple():
    assert add_months(D(2024, 1, 15), 1) == D(2024, 2, 15)
    assert add_months(D(2024, 11, 15), 3) == D(2025, 2, 15)


def test_add_months_clamps_day():
    assert add_months(D(2023, 3, 31), 1) == D(2023, 4, 30)


def test_month_end():
    assert month_end(D(2024, 2, 10)) == D(2024, 2, 29)
