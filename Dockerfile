# Production image: gunicorn serves Django (whitenoise for static files); the same image runs
# the Celery worker and beat (see docker-compose.yml).
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=zcpark.settings.production
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 \
      libpangoft2-1.0-0 gettext \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
COPY --from=assets /build/node_modules ./node_modules
# collectstatic needs a key to import the settings; the real one comes from the environment at run time.
RUN SECRET_KEY=build-only python manage.py compilemessages --ignore=node_modules -v 0 \
 && SECRET_KEY=build-only python manage.py collectstatic --noinput -v 0 \
 && useradd --system --home /app zcpark && mkdir -p /app/var/media && chown -R zcpark /app/var
USER zcpark
EXPOSE 8000
CMD ["gunicorn", "zcpark.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
