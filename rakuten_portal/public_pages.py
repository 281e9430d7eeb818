"""Whole pages that are the same for every anonymous visitor (the help centre, the contact page, the contact
form), kept in the cache per language and path; only their CSRF token differs, and it is put back per request.

Every entry carries the version of the content it was rendered from; `public_pages_changed` (an article or a
category saved or deleted, from the admin or anywhere) starts a new version, so no older page is served again.
"""
import hashlib
import re
import uuid
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

VERSION_KEY = "public-pages:version"
TOKEN = "\x00csrf-token\x00"  # never in a rendered page: the NUL byte cannot be typed into one
_TOKEN_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')


def _cacheable(request, query=()) -> bool:
    # A signed-in user, a message waiting to be shown or a query parameter the page does not name (each named
    # one at most once) makes the page someone's own.
    if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
        return False
    if any(name not in query or len(request.GET.getlist(name)) > 1 for name in request.GET):
        return False
    return not len(get_messages(request))


def _query_key(request, query) -> str:
    # The named parameters as sent (the page shows them back as typed); the key is hashed with the rest.
    return "\x00".join(f"{name}={request.GET[name]}" for name in query if name in request.GET)


def _version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)
    return version


def public_pages_changed() -> None:
    """Stop serving every cached public page, once the current transaction commits."""
    transaction.on_commit(lambda: cache.set(VERSION_KEY, uuid.uuid4().hex, None))


def cached_public_page(vary=None, query=(), timeout_setting="PUBLIC_PAGE_CACHE_SECONDS"):
    """Decorate a view: anonymous GETs are served from the cache; `vary(request)` adds to the key (e.g. what
    changes with the time of day); `query` names the query parameters the page may be cached for, one entry per
    value (the help search's `q`); `timeout_setting` names the setting of its lifetime in seconds."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not _cacheable(request, query):
                return view(request, *args, **kwargs)
            # Hashed: a path or a label (the contact page's "Ouvert maintenant, jusqu'à 19 h") may hold spaces,
            # quotes and accents, which Django's cache warns about on every request.
            varies = f"{request.path}\x00{vary(request) if vary else ''}\x00{_query_key(request, query)}"
            key = f"public-page:{get_language()}:{hashlib.sha256(varies.encode()).hexdigest()}"
            found = cache.get_many([VERSION_KEY, key])
            version = found.get(VERSION_KEY) or _version()
            entry = found.get(key)
            if entry is not None and entry[0] == version:
                return HttpResponse(entry[1].replace(TOKEN, get_token(request)))
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            if response.status_code == 200 and not response.streaming:
                page = _TOKEN_INPUT.sub(lambda match: match[1] + TOKEN + match[2], response.content.decode())
                cache.set(key, (version, page), getattr(settings, timeout_setting))
            return response

        return wrapped

    return decorator


def _content_changed(sender, **kwargs):
    public_pages_changed()


def connect_invalidation() -> None:
    """Called once from HelpdeskConfig.ready: articles and categories show on every public page."""
    from django.db.models.signals import post_delete, post_save

    from helpdesk.models import Article, Category

    for model in (Article, Category):
        post_save.connect(_content_changed, sender=model, dispatch_uid=f"public_pages_{model.__name__}_saved")
        post_delete.connect(_content_changed, sender=model, dispatch_uid=f"public_pages_{model.__name__}_deleted")
