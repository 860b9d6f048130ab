"""gunicorn configuration: workers sized for the machine and for the cache.

Rate limits, flood control, single-use comment forms and the 30-minute repeat-view
window all rely on atomic cache operations shared by every process. With Redis
(CACHE_URL or REDIS_URL) that holds across workers, so we run 2 × cores + 1 of them.
With the default local-memory cache each process would keep its own copy, so we run a
single process with several threads: the promises stay true, at the cost of one core.

With Redis the workers are processes of one thread each, gunicorn's sync worker, behind
nginx (deploy/nginx.conf), which buffers slow clients and keeps their connections alive.
Threaded workers (gthread) had a tail that nothing in our code explains: with 5 workers
of 2 threads on 2 cores, `/healthz` (one `SELECT 1`) answered at p50 2 ms but p99 above
0.2 s in 9 of 20 8-second runs (up to 4.6 s), time spent waiting for PostgreSQL's answer,
which PostgreSQL's own log puts under 20 ms. A ten-line WSGI app doing the same query
shows it too (p99 above 0.1 s in 9 runs of 12), and none of it with one thread per
process, sync or gthread (p99 1.6–2.6 ms). gthread with one thread still handed two of
wrk's four kept-alive connections to one worker while another sat idle (half the
throughput in one run of two): a sync worker accepts a connection only when it is free.
README, "Un fil par worker".

Workers are not recycled (no max_requests): a restart made every request wait while the
new worker started (p99 of /healthz 490 ms against 65 ms), and with the local-memory
cache it also threw away the repeat-view window and the spent form tokens. Django does
not leak; `make bench` shows worker memory before and after its run. Where recycling is
wanted anyway (GUNICORN_MAX_REQUESTS, shared cache only), the app is preloaded so that a
new worker is a fork of the master, ready at once, and a wide jitter keeps two workers
from restarting together.
"""

import gc
import multiprocessing
import os

shared_cache = bool(os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL"))
default_workers = multiprocessing.cpu_count() * 2 + 1 if shared_cache else 1

workers = int(os.environ.get("WEB_CONCURRENCY", default_workers))
threads = int(os.environ.get("GUNICORN_THREADS", 1 if shared_cache else 8))
worker_class = "sync" if threads == 1 else "gthread"
timeout = 30
graceful_timeout = 20
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 0)) if shared_cache else 0
max_requests_jitter = max_requests // 2
# Django is imported once, in the master: workers start in milliseconds and share the
# code's memory. Nothing connects to the database or the cache at import time.
preload_app = True
accesslog = "-"
# gunicorn's default format, plus X-Forwarded-For: behind proxies the client is the
# TRUSTED_PROXY_COUNT-th address from its right (notrecontinent/clientaddress.py), and
# the peer address (%(h)s) is the nearest proxy.
access_log_format = (
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" "%({x-forwarded-for}i)s"'
)
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

if os.environ.get("LOG_FORMAT") == "json":
    # The site logs each request itself (notrecontinent/logs.py), without the client's
    # address, the path or the query string that gunicorn's access log would write.
    accesslog = None
    logconfig_dict = {
        "formatters": {"generic": {"()": "notrecontinent.logs.JSONFormatter"}},
        # gunicorn logs access through this logger whenever a logging config is given.
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
            "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": False},
        },
    }


def when_ready(server):
    # Everything the preloaded app allocated is frozen before the workers fork: the
    # collector of each worker no longer walks those objects on its full collections,
    # and does not touch (and so copy) the pages it shares with the master.
    gc.freeze()
