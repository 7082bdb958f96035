"""Split delimited lines into fields, honouring quotes (a doubled quote inside quotes is a literal quote)."""


def split_row(line, delimiter=",", quotechar='"'):
    fields = []
    field = []
    in_quotes = False
    i = 0
    while i < len(line):
        ch = line[i]
        if in_quotes:
            if ch == quotechar:
                if i + 1 < len(line) and line[i + 1] == quotechar:
                    field.append(quotechar)
                    i += 1
                else:
                    in_quotes = False
            else:
                field.append(ch)
        elif ch == quotechar:
            in_quotes = True
        elif ch == delimiter:
            fields.append("".join(field))
            field = []
        else:
            field.append(ch)
        i += 1
    fields.append("".join(field))
    return fields


def read_rows(text, dialect):
    return [split_row(line, dialect.delimiter, dialect.quotechar) for line in text.splitlines() if line.strip()]
