class UnknownUnit(ValueError):
    pass


class IncompatibleUnits(ValueError):
    pass
