class BusinessRuleError(Exception):
    """A rule of the business was broken. ``message`` is translatable and shown to the user,
    next to ``field`` when the rule belongs to one form field."""

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


class StaleEditError(BusinessRuleError):
    """A form was opened at an older ``version`` of what it edits: someone else saved it
    since (``saved_by``, where known). Nothing is saved; the user compares and sends again."""

    def __init__(self, message, *, version, saved_by=()):
        super().__init__(message)
        self.version = version
        self.saved_by = list(saved_by)
