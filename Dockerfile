# One image for every role of the production-like stack (docker-compose.yml): the gunicorn web
# server (the default command), the Celery worker, Celery beat and the one-shot migrate service.

FROM python:3.11-slim-bookworm AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
# A compiler for any dependency that has no wheel for the build platform, and gettext for the
# translation catalogues; both stay in this stage.
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential gettext \
    && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
# pyproject.toml declares the dependencies and no packages: installing it before the code is
# copied keeps this layer cached across code changes.
COPY pyproject.toml ./
RUN pip install . && rm -rf /src/*.egg-info /src/build
COPY . .
RUN if find . -name '*.po' -print -quit | grep -q .; then django-admin compilemessages; fi


FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=ipma_portal.settings.production \
    MEDIA_ROOT=/var/lib/ipma/media \
    PRIVATE_MEDIA_ROOT=/var/lib/ipma/private

# WeasyPrint renders certificates through Debian's pango; Noto CJK covers Chinese, Japanese and
# Korean names, DejaVu the Latin default.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# The code belongs to root and is read-only for the portal's user; only /var/lib/ipma (uploads
# and generated files; a named volume in compose, which copies this ownership on first use) is
# writable.
RUN groupadd --system --gid 10001 ipma \
    && useradd --system --uid 10001 --gid ipma --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin ipma \
    && install -d -o ipma -g ipma -m 0750 /var/lib/ipma /var/lib/ipma/media /var/lib/ipma/private

COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY --from=build /src /app

# Hashed, compressed static files (Bootstrap included) are part of the image and served by
# WhiteNoise. collectstatic touches neither database nor Redis, but the settings need their URLs
# (production settings refuse to start without them) and the keys; none of these stay in the image.
RUN SECRET_KEY=collectstatic-at-build-time-only \
    MFA_ENCRYPTION_KEY=collectstatic-at-build-time-only \
    DATABASE_URL=postgres://build@127.0.0.1:1/build \
    REDIS_URL=redis://127.0.0.1:1/0 \
    python manage.py collectstatic --noinput

USER ipma
EXPOSE 8000
# Workers: $WEB_CONCURRENCY (gunicorn reads it), 1 when unset.
CMD ["gunicorn", "ipma_portal.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
