# One image for the API and the workers; the trained models are baked in.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    MODELS_DIR=/app/models OMP_NUM_THREADS=1 FLASK_APP=service.wsgi
WORKDIR /app

# CPU-only torch first, so nothing pulls the CUDA build.
RUN pip install --index-url https://download.pytorch.org/whl/cpu torch==2.13.0
COPY pyproject.toml README.md ./
COPY service ./service
COPY workers ./workers
COPY client ./client
RUN pip install .
COPY models ./models
COPY openapi.yaml ./

RUN useradd --system --uid 10001 --home /app annotator
USER annotator

EXPOSE 8000
# API by default; the worker service in docker-compose.yml runs `annotator-worker`.
CMD ["gunicorn", "service.wsgi:app", "--bind", "0.0.0.0:8000", "--config", "service/gunicorn_conf.py"]
