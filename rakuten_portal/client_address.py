"""The client's address, read by django-ipware from a configured number of trusted proxies.

One function for everything that counts per address: the login throttle (django-axes,
`AXES_CLIENT_IP_CALLABLE`) and the rate limits (django-ratelimit, `RATELIMIT_IP_META_KEY`), so both see
the same visitor.

`TRUSTED_PROXY_COUNT` (env, default 0) is how many reverse proxies of ours stand in front of the app,
each appending the address it saw to X-Forwarded-For (nginx: `$proxy_add_x_forwarded_for`):

- 0: the header is ignored, whatever it says; the client is REMOTE_ADDR.
- N: the last N entries of X-Forwarded-For were written by our proxies, and the one written by the
  outermost is the client: entry N from the right. What a client puts in the header itself lands to the
  left of it and is never read. A request whose header is missing, empty, made of "unknown" or garbage,
  or shorter than N (it did not cross every proxy) counts under REMOTE_ADDR, the nearest proxy.
"""
import ipaddress
import logging

from django.conf import settings
from ipware.ip import get_client_ip

logger = logging.getLogger(__name__)

FORWARDED_HEADER = "HTTP_X_FORWARDED_FOR"
# What counts when even REMOTE_ADDR is no address (a Unix socket with no proxy count): one shared bucket.
UNKNOWN_ADDRESS = "0.0.0.0"


def _valid(address) -> str | None:
    try:
        return str(ipaddress.ip_address(str(address).strip()))
    except ValueError:
        return None


def client_ip(request) -> str:
    """The client's address as a valid IP string, never None (django-ratelimit needs one)."""
    count = settings.TRUSTED_PROXY_COUNT
    address = None
    if count:
        # ipware counts the proxies listed in the header after the client; ours are `count`, the last of them
        # (REMOTE_ADDR) not listed. Not strict: garbage a client wrote is skipped, never shifts our entries.
        address, _routable = get_client_ip(request, proxy_order="left-most", proxy_count=count - 1,
                                           request_header_order=[FORWARDED_HEADER], strict=False)
    if address is None:
        address, _routable = get_client_ip(request, request_header_order=["REMOTE_ADDR"], strict=False)
    address = _valid(address) if address is not None else _valid(request.META.get("REMOTE_ADDR", ""))
    if address is None:
        logger.warning("No client address in the request (REMOTE_ADDR empty): counted as %s", UNKNOWN_ADDRESS)
        return UNKNOWN_ADDRESS
    return address
