# syntax=docker/dockerfile:1
# The portal's image: one image for every process (web, worker, beat, the migration job);
# the command chooses (scripts/start-web is the default). Built by .github/workflows/ci.yaml.

# --- 1. Front-end packages (Aksel CSS, the font, htmx) from package-lock.json ---------------
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

# --- 2. Python packages, static files and translations --------------------------------------
FROM python:3.12-slim-bookworm AS build
ENV PYTHONDONTWRITEBYTECODE=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
# Every locked package has a wheel for linux/amd64 (psycopg2-binary, Pillow, nh3...), so no
# compiler is needed even here; build-essential would only be for a package without one.
RUN python -m venv /venv
COPY pyproject.toml requirements.lock README.md /tmp/
# The runtime packages only, at the locked versions (the lock is the constraint): the dev
# extra (pytest, Playwright, moto) stays out of the image.
RUN /venv/bin/pip install uv \
 && /venv/bin/uv pip compile /tmp/pyproject.toml --python-version 3.12 \
      --constraints /tmp/requirements.lock -o /tmp/runtime.txt \
 && /venv/bin/uv pip install --python /venv/bin/python -r /tmp/runtime.txt \
 && /venv/bin/pip uninstall -y uv
WORKDIR /app
COPY --from=assets /app/node_modules ./node_modules
COPY . .
# The packages and the portal go in with their bytecode, checked by hash only (never by the
# files' times, which a build may rewrite): the image is read-only to its user and sets
# PYTHONDONTWRITEBYTECODE, so without it every gunicorn worker compiled Django and the
# portal from source at each start and at each restart (max_requests).
# Build-time settings only: production mode needs these set, nothing connects to them.
RUN DJANGO_DEBUG=false SECRET_KEY=build-only ALLOWED_HOSTS=build EMAIL_URL=smtp://build \
    STATIC_ROOT=/app/staticfiles \
    /venv/bin/python manage.py compiletranslations \
 && DJANGO_DEBUG=false SECRET_KEY=build-only ALLOWED_HOSTS=build EMAIL_URL=smtp://build \
    STATIC_ROOT=/app/staticfiles \
    /venv/bin/python manage.py collectstatic --noinput -v 0 \
 && rm -rf node_modules tests .git .github .nais var \
 && /venv/bin/python -m compileall -q --invalidation-mode unchecked-hash /venv /app

# --- 3. What runs: no compilers, no npm, not root -------------------------------------------
FROM python:3.12-slim-bookworm AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    PATH=/venv/bin:$PATH \
    DJANGO_DEBUG=false \
    STATIC_ROOT=/app/staticfiles \
    PORT=8080 METRICS_PORT=9090 \
    PROMETHEUS_MULTIPROC_DIR=/tmp/metrics
RUN groupadd --system --gid 10001 portal \
 && useradd --system --uid 10001 --gid portal --home-dir /app --shell /usr/sbin/nologin portal
COPY --from=build /venv /venv
COPY --from=build --chown=root:root /app /app
WORKDIR /app
# Only /tmp is written at run time (metrics files, beat's state, uploads in flight).
USER 10001:10001
EXPOSE 8080 9090
CMD ["/app/scripts/start-web"]
