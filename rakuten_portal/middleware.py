"""Site-wide request handling: the language, and refusing NUL bytes."""
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.utils import translation


class PortalLanguageMiddleware:
    """Activate the language from the language cookie, else the site's default (not Accept-Language)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class NulByteInRequest(SuspiciousOperation):
    """A NUL byte in a query string or a form field: no page of ours needs one, and PostgreSQL refuses it."""


class RefuseNulBytesMiddleware:
    """Answer the styled 400 page (handler400) to any query parameter or form field, name or value, with a NUL byte.

    Once here for the whole site and the admin, so no filter, search or form needs to think of it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST)):
            # SuspiciousOperation: Django logs it under django.security and answers handler400.
            raise NulByteInRequest("NUL byte in the query string or the form data")
        return self.get_response(request)


def _has_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in data.lists())
