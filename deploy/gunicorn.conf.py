"""gunicorn's settings for every app server (systemd units, `make serve`, the cluster test).

The address comes from the command line (`--bind`), the rest from here or GUNICORN_*
variables. Behind nginx, which buffers slow clients, sync workers are right: a worker
only ever sees a whole request.
"""

import os
import shutil

from prometheus_client import multiprocess

workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
# A request taking longer than this is stuck: its worker is killed and replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# On HUP or TERM, workers finish their request for this long before being killed.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "20"))
# nginx keeps connections to the app servers open (upstream keepalive).
keepalive = 30
# Each worker is replaced after this many requests (a slow leak never grows for long).
max_requests = 2000
max_requests_jitter = 200
# nginx writes the access log, with the request id.
accesslog = None
errorlog = "-"
# The app is loaded in each worker, so HUP reloads new code gracefully.
preload_app = False
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# The workers' heartbeat files in memory, not on disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None


def child_exit(server, worker):
    # django-prometheus in several processes: forget the metrics files of a dead worker.
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)


def on_starting(server):
    # Each app server keeps its workers' metrics files in its own directory, emptied at start.
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if path:
        shutil.rmtree(path, ignore_errors=True)
        os.makedirs(path)
