import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safecommunity.settings.local")
application = get_wsgi_application()

# The records registry imports every app's records module on its first use (under a lock,
# safecommunity/records/registry.py): done here, before a worker serves, so that no first request
# pays for it.
from safecommunity.records.registry import discover  # noqa: E402

discover()

# The loaded portal (modules, URL resolvers, translations: ~170,000 objects) lives as long as the
# process: frozen out of the cyclic collector, whose full passes then walk only what requests
# left behind (~65 ms each, every few hundred requests, before), and the young generation is
# collected every 10,000 allocations instead of 700 (a list page makes tens of thousands).
gc.collect()
gc.freeze()
gc.set_threshold(10_000, 10, 10)
