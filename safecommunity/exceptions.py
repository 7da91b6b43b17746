class ApplicationError(Exception):
    """A business rule refused the operation; ``message`` is shown to the user as is."""

    def __init__(self, message, extra=None):
        super().__init__(message)
        self.message = message
        self.extra = extra or {}
