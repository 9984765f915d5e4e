"""gunicorn for Di Sản Số: ``gunicorn -c deploy/gunicorn.conf.py heritage.wsgi:application``.

Django's settings come from the environment (README "Settings"; heritage.settings.production
is the default of heritage/wsgi.py). This file only sizes the server; four variables of its
own, all optional:

- ``DSS_BIND``: where gunicorn listens, behind nginx (default ``127.0.0.1:8001``);
- ``DSS_WEB_WORKERS``: worker processes (default 2 × CPU cores + 1, at most 8);
- ``DSS_WEB_TIMEOUT``: seconds before a stuck request's worker is restarted (default 60);
- ``DSS_WEB_ACCESS_LOG``: a file for gunicorn's own access log (default: none).

Workers are synchronous: nginx in front buffers slow clients (phones on 2G) and sends media
files itself (X-Accel-Redirect), so a worker is only held while Python works.
"""

import multiprocessing
import os

bind = os.environ.get("DSS_BIND", "127.0.0.1:8001")
workers = int(os.environ.get("DSS_WEB_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 8)))
worker_class = "sync"
timeout = int(os.environ.get("DSS_WEB_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (memory growth in long-lived processes); the jitter keeps
# them from restarting together.
max_requests = 5000
max_requests_jitter = 500
# Only nginx on this machine may say a request came over HTTPS (X-Forwarded-Proto).
forwarded_allow_ips = "127.0.0.1"
# nginx logs every request; gunicorn logs errors to stderr (the journal under systemd) and,
# when DSS_WEB_ACCESS_LOG names a file, each request with the worker's process id (the stack
# test reads it to see that every worker answered).
accesslog = os.environ.get("DSS_WEB_ACCESS_LOG") or None
access_log_format = '%(h)s pid=%(p)s "%(r)s" %(s)s %(b)s %(M)sms'
errorlog = "-"
loglevel = "info"
proc_name = "dss-web"
