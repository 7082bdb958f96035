"""Identifier case conversion and slugs."""
import re
import unicodedata

_BOUNDARY = re.compile(r"([A-Z]+)([A-Z][a-z])|([a-z0-9])([A-Z])")


def snake_case(name):
    """Convert CamelCase / mixedCase / kebab-case names to snake_case.

    Runs of capitals are treated as one word: "HTTPServer" -> "http_server".
    """
    name = _BOUNDARY.sub(lambda m: (m.group(1) or m.group(3)) + "_" + (m.group(2) or m.group(4)), name)
    name = re.sub(r"[-\s]+", "_", name)
    return name.lower()


def camel_case(name, upper_first=False):
    """Convert snake_case / kebab-case to camelCase (or CamelCase with upper_first)."""
    parts = [p for p in re.split(r"[_\-\s]+", name) if p]
    if not parts:
        return ""
    head = parts[0].capitalize() if upper_first else parts[0].lower()
    return head + "".join(p.capitalize() for p in parts[1:])


def slugify(text, separator="-"):
    """Lowercase ASCII slug: accents stripped, runs of other characters become one separator."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-zA-Z0-9]+", separator, text.lower())
    return text.strip(separator)
