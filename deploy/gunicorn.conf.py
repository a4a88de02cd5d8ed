"""gunicorn's settings for every app server (systemd units, `make serve`, the cluster test).

The address comes from the command line (`--bind`), the rest from here or GUNICORN_*
variables. Behind nginx, which buffers slow clients, sync workers are right: a worker
only ever sees a whole request. (Threads were measured too, `make bench` with
BENCH_GUNICORN_ARGS="--worker-class gthread --threads 4": pages served while guests buy
rose, checkouts fell by as much; the GIL shares one core per worker. README, Benchmark.)
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
# Each worker is replaced after about this many requests: a slow leak never grows for
# long, and a busy worker is not restarted every few seconds (a restart costs a Django
# start and an empty page cache).
max_requests = 20000
max_requests_jitter = 2000
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
