"""Word splitting shared by the wrapping and shortening functions."""


def split_words(text):
    """Split text into words on any run of whitespace (spaces, tabs, newlines)."""
    return text.split()


def join_words(words):
    return " ".join(words)
