class ApplicationError(Exception):
    """A business rule refused the operation: the one refusal a service raises (a model's own
    ``full_clean()`` still raises ``ValidationError`` for data that are not valid).

    ``message`` is shown to the user as is. ``field`` names the form field the refusal is about
    (a page shows it on that field, the API as that field's error with 422); without it the
    refusal is about the whole operation (the form's errors, a message, the API's 409)."""

    def __init__(self, message, extra=None, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.extra = extra or {}
        self.field = field
