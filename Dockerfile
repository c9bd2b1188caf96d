# Sensemap's image: web (gunicorn), Celery worker and beat all run from it; see docker-compose.yml.

# The front end, built only once frontend/ holds a Vite app; until then dist/ stays empty.
FROM node:20-slim AS frontend
WORKDIR /frontend
COPY frontend/ ./
RUN if [ -f package.json ]; then npm ci && npm run build; else mkdir -p dist; fi

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    PYTHONPATH=/app
RUN useradd --system --uid 10001 --user-group --no-create-home --home-dir /app sensemap
WORKDIR /app

# `pip install .` builds the package, so it needs the sources, not only pyproject.toml.
COPY pyproject.toml README.md ./
COPY apps ./apps
COPY config ./config
RUN pip install . && rm -rf build ./*.egg-info

# PYTHONPATH puts /app before site-packages: every process imports this copy, so BASE_DIR is
# /app (templates in frontend/, STATIC_ROOT in staticfiles/).
COPY manage.py ./
COPY frontend ./frontend
COPY --from=frontend /frontend/dist ./frontend/dist
RUN mkdir staticfiles && chown sensemap:sensemap staticfiles

USER sensemap
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
