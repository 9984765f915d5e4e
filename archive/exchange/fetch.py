"""One bounded HTTP GET: a connect and read timeout, a whole-answer deadline (a peer that
drips one byte a second never trips a read timeout), a size cap and a redirect cap.
Every failure becomes a :class:`HarvestFault` with its sentence."""

from __future__ import annotations

import time

import requests

from . import faults

# Mountain links are slow but an answer page is at most a few hundred kB: these bounds
# leave room for that and still stop a stuck harvest within a minute.
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 30.0
MAX_BYTES = 20 * 1024 * 1024
MAX_REDIRECTS = 5
USER_AGENT = "DiSanSo-harvester/1"


def get(url, params, *, timeout=READ_TIMEOUT, max_bytes=MAX_BYTES) -> bytes:
    session = requests.Session()
    session.max_redirects = MAX_REDIRECTS
    deadline = time.monotonic() + timeout
    try:
        with session.get(
            url,
            params=params,
            timeout=(min(CONNECT_TIMEOUT, timeout), timeout),
            stream=True,
            headers={"User-Agent": USER_AGENT, "Accept": "text/xml, application/xml"},
        ) as response:
            if response.status_code != 200:
                raise faults.HarvestFault(
                    faults.HTTP_STATUS.format(status=response.status_code),
                    status=response.status_code,
                )
            body = bytearray()
            for chunk in response.iter_content(64 * 1024):
                body += chunk
                if len(body) > max_bytes:
                    raise faults.HarvestFault(faults.TOO_BIG.format(limit=max_bytes))
                if time.monotonic() > deadline:
                    raise faults.HarvestFault(faults.TIMEOUT.format(seconds=int(timeout)))
            return bytes(body)
    except requests.TooManyRedirects:
        raise faults.HarvestFault(faults.REDIRECTS) from None
    except requests.Timeout:
        raise faults.HarvestFault(faults.TIMEOUT.format(seconds=int(timeout))) from None
    except requests.RequestException as exc:
        raise faults.HarvestFault(faults.UNREACHABLE.format(detail=type(exc).__name__)) from None
    finally:
        session.close()
