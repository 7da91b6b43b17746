"""Settings: ``base`` (shared, environment-driven), ``local`` (the embedded default),
``test`` (pytest) and ``production`` (refuses to start without its secrets)."""
