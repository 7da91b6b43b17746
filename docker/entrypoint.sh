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
    # Threads (gthread) let a worker answer while another request of it waits on PostgreSQL or
    # Redis: on 2 cores, 3 workers x 2 threads served the lists faster at 4 concurrent clients than
    # 3 or 4 sync workers (docs/scaling.md). WEB_THREADS=1 gives the sync workers back.
    exec gunicorn safecommunity.wsgi:application \
      --bind "0.0.0.0:${PORT:-8000}" --workers "${WEB_CONCURRENCY:-3}" --threads "${WEB_THREADS:-2}" \
      --timeout 60 \
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
