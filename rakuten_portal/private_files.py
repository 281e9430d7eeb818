"""Streaming an upload from the private storage, for the views that have already checked who may see it.

One place for claim and help-desk attachments alike: the type is the one we recognised from the content,
and the name the browser is given ends in the extension of that type, never the uploader's
(a PDF named "facture.hta" is served as "facture.pdf"). What comes before it is the uploader's name,
cleaned: no folder, no control or format character, nothing a file system or a header would misread,
and a bounded length.
"""
import os
import unicodedata
from urllib.parse import quote

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override

CACHE_CONTROL = "private, max-age=3600"
# The types our upload pipeline (claims/photos.py) produces, and the extension each is served under.
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
UNKNOWN_TYPE = "application/octet-stream"
DEFAULT_STEM = "piece-jointe"
MAX_STEM_LENGTH = 80
# Reserved on Windows or special in a header; replaced, so the name still reads.
_REPLACED = set('<>:"/\\|?*')

# A file opened on its own (the full-size photo) is shown by the browser's built-in viewer, which styles
# itself inline to fit the image to the window: the site's policy (no inline style) would break that and
# log CSP errors. A stored file runs no script and loads nothing, so its own policy allows only the viewer.
FILE_CSP = {"default-src": [CSP.NONE], "img-src": [CSP.SELF], "style-src": [CSP.UNSAFE_INLINE]}
file_csp = csp_override(FILE_CSP)


def served_filename(original_name: str, content_type: str, *, suffix: str = "") -> str:
    """The name to serve an upload under: its cleaned original stem, `suffix`, and the extension of its type."""
    name = str(original_name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = unicodedata.normalize("NFC", name)
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    stem = os.path.splitext(name)[0] if "." in name.lstrip(".") else name
    stem = "".join("_" if ch in _REPLACED else ch for ch in stem)
    stem = " ".join(stem.split()).strip(" .")[:MAX_STEM_LENGTH].rstrip(" .") or DEFAULT_STEM
    return f"{stem}{suffix}.{EXTENSIONS.get(content_type, 'bin')}"


def _ascii_fallback(filename: str) -> str:
    """The name in plain ASCII for old clients: accents dropped, anything else an underscore."""
    decomposed = unicodedata.normalize("NFKD", filename)
    return "".join(ch if ch.isascii() and ch.isprintable() else "_" for ch in decomposed
                   if not unicodedata.combining(ch))


def content_disposition(filename: str, *, as_attachment: bool) -> str:
    """The header value: an ASCII `filename` always, and the UTF-8 `filename*` (RFC 6266) when they differ."""
    disposition = "attachment" if as_attachment else "inline"
    fallback = _ascii_fallback(filename)
    value = f'{disposition}; filename="{fallback}"'
    if fallback != filename:
        value += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return value


def serve_private_file(name: str, content_type: str, *, original_name: str = "", as_attachment: bool = False,
                       suffix: str = "") -> FileResponse:
    """The stored file with its known type, inline or as a download, under a name ending in its type's extension."""
    if not name or not default_storage.exists(name):
        raise Http404
    if content_type not in EXTENSIONS:
        # Not a type we produce: the browser gets bytes to save, never something to render.
        content_type, as_attachment = UNKNOWN_TYPE, True
    response = FileResponse(default_storage.open(name, "rb"), content_type=content_type)
    filename = served_filename(original_name, content_type, suffix=suffix)
    response.headers["Content-Disposition"] = content_disposition(filename, as_attachment=as_attachment)
    # The type is ours (re-encoded images, checked PDFs): the browser must not guess another.
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = CACHE_CONTROL
    return response


def serve_attachment(attachment):
    """A claim or help-desk attachment: an image inline, anything else (a PDF) as a download."""
    return serve_private_file(attachment.file.name, attachment.content_type, original_name=attachment.original_name,
                              as_attachment=not attachment.is_image)


def serve_thumbnail(attachment):
    """The small image of an attachment (a JPEG or a PNG we made), inline; 404 when it has none."""
    if not attachment.is_image or not attachment.thumbnail:
        raise Http404
    content_type = "image/png" if attachment.thumbnail.name.endswith(".png") else "image/jpeg"
    return serve_private_file(attachment.thumbnail.name, content_type, original_name=attachment.original_name,
                              suffix="-miniature")
