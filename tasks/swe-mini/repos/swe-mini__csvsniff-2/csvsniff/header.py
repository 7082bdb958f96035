"""Guess whether the first row is a header: some column is numeric in every data row but not in row one."""


def _is_number(text):
    try:
        float(text.strip())
    except ValueError:
        return False
    return True


def has_header(rows):
    if len(rows) < 2:
        return False
    header, data = rows[0], rows[1:]
    for column, name in enumerate(header):
        values = [row[column] for row in data if column < len(row)]
        if values and all(_is_number(v) for v in values) and not _is_number(name):
            return True
    return False
