# Tandem in a container: `tandem serve` as a non-root user, healthy when /healthz says the database is.
# The install is scripts/setup, the same steps as on a developer's machine (CI checks this file's
# steps, it can't build the image: see README, "Container").
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    TANDEM_HOST=0.0.0.0 \
    TANDEM_PORT=3000 \
    DATABASE_URL=sqlite:////data/tandem.db

RUN useradd --create-home --uid 10001 tandem \
    && mkdir /data && chown tandem:tandem /data

WORKDIR /app
COPY pyproject.toml README.md LICENSE manifest.yml ./
COPY scripts/ scripts/
COPY bot/ bot/
COPY adapters/ adapters/
COPY storage/ storage/
COPY scheduler/ scheduler/
COPY teams/ teams/
RUN scripts/setup

USER tandem
VOLUME /data
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["/app/.venv/bin/python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('TANDEM_PORT', '3000'), timeout=4)"]
CMD ["/app/.venv/bin/tandem", "serve"]
