# The scrutiny service image (used by docker-compose.yml with a Qdrant server).
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
# Every package of the project (tests/test_deployment.py checks none is missing).
COPY cli cli
COPY councils councils
COPY eval eval
COPY indexes indexes
COPY ingest ingest
COPY service service
COPY sample sample
# Installed in place (editable), so the code runs from /app and its data folder is /app/var:
# the index settings, the key file and the exported query model all live under the project's var/.
RUN pip install --no-cache-dir --index-url https://download.pytorch.org/whl/cpu torch==2.13.0 \
    && pip install --no-cache-dir -e .
# The service never runs as root: a system user that owns only /app/var (the data volume).
RUN useradd --system --uid 10001 --user-group --create-home --home-dir /home/scrutiny --shell /usr/sbin/nologin scrutiny \
    && mkdir -p /app/var \
    && chown scrutiny:scrutiny /app/var
ENV HAYSTACK_TELEMETRY_ENABLED=False HF_HUB_OFFLINE=1 PYTHONUNBUFFERED=1 \
    SCRUTINY_KEYS_FILE=/app/var/keys.json
USER scrutiny:scrutiny
EXPOSE 8000
# Liveness: /health/live needs no key and touches neither model nor index. The slim image has no
# curl, so Python's urllib asks; start-period covers loading and warming the model.
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/health/live', timeout=4).status == 200 else 1)"]
# 0.0.0.0 inside the container so the published port reaches it; `scrutiny serve` refuses this
# bind until an access key exists (no --allow-open here), so the image never serves open.
CMD ["scrutiny", "serve", "--host", "0.0.0.0", "--port", "8000"]
