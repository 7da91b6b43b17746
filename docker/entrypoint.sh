#!/bin/sh
# entrypoint web|worker|worker-imports|worker-documents|worker-daily|beat|migrate|<any command>
# worker consumes every queue (WORKER_QUEUES narrows it); worker-<queue> only its own
# (safecommunity/celery.py routes imports, documents and the scheduled jobs).
set -eu
role="${1:-web}"
p="${SC_CELERY_QUEUE_PREFIX:-}"
case "$role" in
  web)
    python manage.py migrate --noinput
    exec gunicorn safecommunity.wsgi:application \
      --bind "0.0.0.0:${PORT:-8000}" --workers "${WEB_CONCURRENCY:-3}" --timeout 60 \
      --access-logfile - --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}"
    ;;
  worker)
    exec celery -A safecommunity worker -l INFO --concurrency "${WORKER_CONCURRENCY:-2}" \
      -Q "${WORKER_QUEUES:-${p}celery,${p}imports,${p}documents,${p}daily}"
    ;;
  worker-imports|worker-documents|worker-daily)
    queue="${role#worker-}"
    exec celery -A safecommunity worker -l INFO --concurrency "${WORKER_CONCURRENCY:-2}" \
      -Q "$p$queue" -n "$p$queue@%h"
    ;;
  beat)
    exec celery -A safecommunity beat -l INFO
    ;;
  migrate)
    exec python manage.py migrate --noinput
    ;;
  *)
    exec "$@"
    ;;
esac
