import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safecommunity.settings.local")

app = Celery("safecommunity")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
