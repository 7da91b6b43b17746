# The portal's production image: web (gunicorn), worker and beat share it.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=safecommunity.settings.production

# WeasyPrint needs Pango and HarfBuzz; briefings and scorecards need a CJK font; gettext compiles
# the translations; manage.py backup/restore need pg_dump/pg_restore of the db service's version (15).
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
      fonts-noto-cjk gettext postgresql-client-15 \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 portal
WORKDIR /app
COPY pyproject.toml README.md ./
COPY safecommunity safecommunity
COPY committees committees
COPY accountability accountability
COPY projects projects
COPY incidents incidents
COPY inspections inspections
COPY reports reports
COPY api api
COPY closing closing
COPY notifications notifications
COPY analysis analysis
RUN pip install --upgrade pip && pip install .
COPY manage.py ./
COPY templates templates
COPY static static
COPY locale locale
COPY docker/entrypoint.sh /usr/local/bin/entrypoint
# collectstatic and compilemessages need settings but no secrets or database.
RUN DJANGO_SECRET_KEY=build-only-$(head -c 48 /dev/urandom | base64 | tr -d '/+=') DJANGO_ALLOWED_HOSTS=build \
    python manage.py collectstatic --noinput -v0 \
 && python manage.py compilemessages -v0 \
 && mkdir -p /app/media && chown portal /app/media

USER portal
ENV MEDIA_ROOT=/app/media DJANGO_STATIC_ROOT=/app/staticfiles
EXPOSE 8000
ENTRYPOINT ["entrypoint"]
CMD ["web"]
