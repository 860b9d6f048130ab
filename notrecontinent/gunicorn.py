"""gunicorn configuration: workers sized for the machine and for the cache.

Rate limits, flood control, single-use comment forms and the 30-minute repeat-view
window all rely on atomic cache operations shared by every process. With Redis
(CACHE_URL or REDIS_URL) that holds across workers, so we run one per core and more.
With the default local-memory cache each process would keep its own copy, so we run a
single process with several threads: the promises stay true, at the cost of one core.
"""

import multiprocessing
import os

shared_cache = bool(os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL"))
default_workers = multiprocessing.cpu_count() * 2 + 1 if shared_cache else 1

workers = int(os.environ.get("WEB_CONCURRENCY", default_workers))
threads = int(os.environ.get("GUNICORN_THREADS", 2 if shared_cache else 8))
timeout = 30
graceful_timeout = 20
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
# gunicorn's default format, plus X-Forwarded-For: behind proxies the client is the
# TRUSTED_PROXY_COUNT-th address from its right (notrecontinent/clientaddress.py), and
# the peer address (%(h)s) is the nearest proxy.
access_log_format = (
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" "%({x-forwarded-for}i)s"'
)
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
