# Production image: gunicorn serves Django (whitenoise for static files); the same image runs the Celery
# worker and beat and the backup (see docker-compose.yml and docs/operations.md).
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM python:3.11-slim-bookworm
# What `manage.py backup` records as the version: docker compose build passes `git describe`.
ARG APP_VERSION=unknown
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=zcpark.settings.production \
    APP_VERSION=${APP_VERSION}
# postgresql-client: pg_dump and pg_restore for `manage.py backup` / `restore` (bookworm's is 15, the
# server's version: pg_dump refuses a newer server).
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 \
      libpangoft2-1.0-0 gettext postgresql-client \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
COPY --from=assets /build/node_modules ./node_modules
# collectstatic needs a key to import the settings; the real one comes from the environment at run time.
# A fixed uid, so a host directory mounted for backups can be given to it (docs/operations.md).
RUN SECRET_KEY=build-only python manage.py compilemessages --ignore=node_modules -v 0 \
 && SECRET_KEY=build-only python manage.py collectstatic --noinput -v 0 \
 && useradd --system --uid 10001 --home /app zcpark \
 && mkdir -p /app/var/media /app/var/backups && chown -R zcpark /app/var
USER zcpark
EXPOSE 8000
# The web's probe: gunicorn answers /healthz and reaches the database (zcpark/core/probe.py); the worker
# and beat, run from this image too, get their own checks in docker-compose.yml.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
  CMD ["python", "-m", "zcpark.core.probe", "web"]
# Workers, threads, timeouts: GUNICORN_* variables read by gunicorn.conf.py.
CMD ["gunicorn", "-c", "gunicorn.conf.py", "zcpark.wsgi:application"]
