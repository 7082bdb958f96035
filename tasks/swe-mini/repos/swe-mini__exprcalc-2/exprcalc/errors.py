class CalcError(Exception):
    """Any error in an expression: syntax, unknown names, math errors. `position` is 0-based or None."""

    def __init__(self, message, position=None):
        super().__init__(message if position is None else "%s (at position %d)" % (message, position))
        self.position = position
