class SniffError(ValueError):
    """The sample does not look like delimited text."""
