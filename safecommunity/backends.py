"""The authentication backend: Django's ``ModelBackend``, with each worker keeping the users it
has read.

Every request of a signed-in user reads its user (``AuthenticationMiddleware``); with sessions
read from the cache (``SESSION_ENGINE`` cached_db) that query was half of what a kept page's
reader costs (issue 12: 16 readers at once). The user's row is kept in this worker's memory,
with its area and county (read with it), under the generations of the user and area models
(``filters.CHOICE_MODELS``), which every save and delete of a user or an area moves, before and
after its commit: a new password, role, area or a deactivation shows on the next request of
every worker, as a query would. A login's save of ``last_login`` alone moves nothing
(``filters._UNSHOWN_FIELDS``): a kept user's ``last_login`` is deferred, read from the database
if asked for and left alone by a save. With the cache unreachable the generations are unknown
and the row is read from the database as before; so it is without a shared cache
(``SC_KEPT_USERS``: a worker's own memory cannot know of another's writes).

Each request gets its own instance built from the kept values, so nothing one request sets on
its user (a permission cache, a changed field) reaches another.
"""

from collections import OrderedDict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError

# The worker-memory LRU of the list caches (under their lock: a worker may serve in threads).
from .templatetags.sc_tables import _recall, _remember

USERS_SIZE = 1024
_USERS: "OrderedDict[tuple, tuple]" = OrderedDict()


def _generations():
    """The generations of the user and area models (one round trip), or None when unknown."""
    from .filters import choice_generations

    labels = (get_user_model()._meta.label, "safecommunity.Area")
    found = choice_generations(labels)
    values = tuple(found[label] for label in labels)
    return None if None in values else values


def _snapshot(obj) -> tuple:
    """An instance's database, field values and the related rows read with it (the user
    manager's ``select_related("area", "area__parent")``), as plain values. Fields that move
    no generation (``last_login``) are left out: deferred, they are read when asked for, and a
    save of the instance leaves them alone."""
    from .filters import _UNSHOWN_FIELDS

    names = tuple(f.attname for f in obj._meta.concrete_fields if f.attname not in _UNSHOWN_FIELDS)
    related = tuple(
        (name, None if other is None else _snapshot(other)) for name, other in obj._state.fields_cache.items()
    )
    return obj._state.db, names, tuple(getattr(obj, name) for name in names), related


def _rebuilt(model, snapshot):
    db, names, values, related = snapshot
    obj = model.from_db(db, names, values)
    for name, other in related:
        field = model._meta.get_field(name)
        obj._state.fields_cache[name] = None if other is None else _rebuilt(field.related_model, other)
    return obj


class KeptUserBackend(ModelBackend):
    def get_user(self, user_id):
        model = get_user_model()
        try:
            pk = model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        generations = _generations() if settings.SC_KEPT_USERS else None
        if generations is None:
            return super().get_user(pk)
        key = (pk, generations)
        kept = _recall(_USERS, key)
        if kept is None:
            user = super().get_user(pk)
            if user is not None:
                _remember(_USERS, USERS_SIZE, key, _snapshot(user))
            return user
        user = _rebuilt(model, kept)
        return user if self.user_can_authenticate(user) else None
