"""Streaming an upload from the private storage, for the views that have already checked who may see it."""
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override

CACHE_CONTROL = "private, max-age=3600"

# A file opened on its own (the full-size photo) is shown by the browser's built-in viewer, which styles
# itself inline to fit the image to the window: the site's policy (no inline style) would break that and
# log CSP errors. A stored file runs no script and loads nothing, so its own policy allows only the viewer.
FILE_CSP = {"default-src": [CSP.NONE], "img-src": [CSP.SELF], "style-src": [CSP.UNSAFE_INLINE]}
file_csp = csp_override(FILE_CSP)


def safe_filename(name: str) -> str:
    """An ASCII name for the header: quotes, backslashes and non-ASCII would break it."""
    cleaned = "".join(ch if ch.isascii() and ch.isprintable() and ch not in '"\\' else "_" for ch in name)
    return cleaned or "piece-jointe"


def serve_private_file(name: str, content_type: str, *, download_name: str | None = None) -> FileResponse:
    """The stored file with its known type: inline (images), or a download when a name is given (PDFs)."""
    if not name or not default_storage.exists(name):
        raise Http404
    response = FileResponse(default_storage.open(name, "rb"), content_type=content_type)
    if download_name:
        response.headers["Content-Disposition"] = f'attachment; filename="{safe_filename(download_name)}"'
    else:
        response.headers["Content-Disposition"] = "inline"
    # The type is ours (re-encoded images, checked PDFs): the browser must not guess another.
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = CACHE_CONTROL
    return response
