class BusinessRuleError(Exception):
    """A rule of the business was broken. ``message`` is translatable and shown to the user,
    next to ``field`` when the rule belongs to one form field."""

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.message = message
        self.field = field
