#!/bin/sh
# entrypoint web|worker|beat|migrate|<any command>
set -eu
role="${1:-web}"
case "$role" in
  web)
    python manage.py migrate --noinput
    exec gunicorn safecommunity.wsgi:application \
      --bind "0.0.0.0:${PORT:-8000}" --workers "${WEB_CONCURRENCY:-3}" --timeout 60 \
      --access-logfile - --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}"
    ;;
  worker)
    exec celery -A safecommunity worker -l INFO --concurrency "${WORKER_CONCURRENCY:-2}"
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
