"""gunicorn settings for the API. Threads, because ?wait=S holds a request while a job runs."""

import os

workers = int(os.environ.get("API_PROCESSES", "2"))
worker_class = "gthread"
threads = int(os.environ.get("API_THREADS", "8"))
timeout = 60
keepalive = 5
accesslog = "-" if os.environ.get("ACCESS_LOG") else None
