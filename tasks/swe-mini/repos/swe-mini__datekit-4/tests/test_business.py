import datetime

from datekit import business_days_between, next_business_day

D = datetime.date


def test_same_week():
    assert business_days_between(D(2024, 3, 4), D(2024, 3, 8)) == 4


def test_over_a_weekend():
    assert business_days_between(D(2024, 3, 7), D(2024, 3, 12)) == 3


def test_holidays():
    assert business_days_between(D(2024, 3, 4), D(2024, 3, 8), holidays={D(2024, 3, 5)}) == 3


def test_next_business_day_from_friday():
    assert next_business_day(D(2024, 3, 8)) == D(2024, 3, 11)
