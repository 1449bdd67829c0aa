# The scrutiny service image (used by docker-compose.yml with a Qdrant server).
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY indexes indexes
COPY ingest ingest
COPY service service
COPY eval eval
COPY cli cli
COPY sample sample
RUN pip install --no-cache-dir --index-url https://download.pytorch.org/whl/cpu torch==2.13.0 \
    && pip install --no-cache-dir .
ENV HAYSTACK_TELEMETRY_ENABLED=False HF_HUB_OFFLINE=1
EXPOSE 8000
CMD ["scrutiny", "serve", "--host", "0.0.0.0", "--port", "8000"]
