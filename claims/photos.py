"""Checks and re-encoding for files attached to claims, messages and help-desk tickets.

Images (JPEG, PNG, WebP) are recognised by content, never by name, and re-encoded by
Pillow: the bytes we serve never come from the uploader, which drops EXIF/GPS and all
metadata and defeats polyglots (HTML behind a valid image header). PDFs, where the
caller allows them, are stored as is: they are only served as attachment downloads.
Each refused file raises UploadRejected with a message naming it and saying why.
"""

from __future__ import annotations

import logging
import os
import secrets
import unicodedata
import warnings
from dataclasses import dataclass
from io import BytesIO

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

logger = logging.getLogger(__name__)

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
THUMB_SIZE = 400
MAX_FILES_PER_UPLOAD = 10
MAX_NAME_LENGTH = 120
JPEG_QUALITY = 88

# Pillow format name -> (extension, content type).
IMAGE_FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}
IMAGE_ACCEPT = "image/jpeg,image/png,image/webp"
# PDF writers put newlines, and some a little junk, after the final "%%EOF".
PDF_EOF_WINDOW = 1024
_SAVE_OPTIONS = {
    "JPEG": {"quality": JPEG_QUALITY, "optimize": True},
    "WEBP": {"quality": JPEG_QUALITY},
}
_EXTENSIONS = {ext for ext, _type in IMAGE_FORMATS.values()} | {"pdf"}

_MESSAGES = {
    "empty": _("Le fichier « %(name)s » est vide."),
    "too_large": _("Le fichier « %(name)s » dépasse la taille maximale de %(max_mb)d Mo."),
    "type": _("« %(name)s » n'est pas une image JPEG, PNG ou WebP."),
    "type_or_pdf": _("« %(name)s » n'est ni une image JPEG, PNG ou WebP, ni un PDF."),
    "too_many_pixels": _("L'image « %(name)s » dépasse %(max_mp)d mégapixels."),
    "damaged": _("Le fichier « %(name)s » est endommagé ou illisible."),
    "too_many_files": _("« %(name)s » n'a pas été envoyé : %(max_files)d fichiers au maximum."),
}
_MB, _MP = MAX_BYTES // (1024 * 1024), MAX_PIXELS // 1_000_000


class UploadRejected(Exception):
    """A refused file: ``message`` is ready to show, ``code`` says why in a stable form."""

    def __init__(self, message: str, filename: str, code: str):
        super().__init__(message)
        self.message, self.filename, self.code = message, filename, code


def _rejected(key: str, name: str, **params) -> UploadRejected:
    message = str(_MESSAGES[key]) % {"name": name, **params}
    return UploadRejected(message, name, "type" if key == "type_or_pdf" else key)


@dataclass(frozen=True)
class ProcessedFile:
    """A file that passed the checks, ready to be stored under :func:`random_name`."""

    kind: str
    content: bytes
    thumbnail: bytes | None
    extension: str
    content_type: str
    width: int | None
    height: int | None
    original_name: str

    @property
    def thumbnail_extension(self) -> str | None:
        """Return "jpg" or "png" for the thumbnail, None when there is none."""
        if self.thumbnail is None:
            return None
        return "png" if self.thumbnail.startswith(b"\x89PNG") else "jpg"


def _clean_name(name) -> str:
    # Some browsers and apps send the whole client-side path, Windows-style or not.
    name = str(name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = unicodedata.normalize("NFC", name)
    # Control and format characters (newlines, right-to-left override) can disguise
    # the real extension in messages and listings.
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    if len(name) > MAX_NAME_LENGTH:
        stem, ext = os.path.splitext(name)
        name = stem[: MAX_NAME_LENGTH - len(ext[:16])].rstrip() + ext[:16]
    return name or "fichier"


def _read_capped(uploaded, name: str) -> bytes:
    size = getattr(uploaded, "size", None)
    if size is not None and size > MAX_BYTES:
        raise _rejected("too_large", name, max_mb=_MB)
    try:
        uploaded.seek(0)  # a form field may already have read part of it
    except (AttributeError, OSError, ValueError):
        pass
    # .size may be wrong: one byte past the limit proves the file too big, memory stays capped.
    data = uploaded.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _rejected("too_large", name, max_mb=_MB)
    if not data:
        raise _rejected("empty", name)
    return data


def _normalise(img: Image.Image) -> Image.Image:
    alpha = img.has_transparency_data
    if img.mode in ("I", "I;16"):
        # Pillow clips 16-bit values rather than scaling them: convert("L") would give white.
        img = img.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    mode = "RGBA" if alpha else "L" if img.mode in ("1", "L") else "RGB"
    if img.mode != mode:
        img = img.convert(mode)
    # PNG and JPEG encoders copy some of these (ICC profile, comment) back into the output.
    img.info.clear()
    return img


def _decode(data: bytes, name: str, allow_pdf: bool) -> tuple[Image.Image, str]:
    try:
        with warnings.catch_warnings():
            # Pillow only warns between 89 and 179 megapixels: make that warning an error.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            try:
                # Restricting the plugins keeps exotic parsers away from untrusted bytes.
                img = Image.open(BytesIO(data), formats=list(IMAGE_FORMATS))
            except UnidentifiedImageError:
                raise _rejected("type_or_pdf" if allow_pdf else "type", name) from None
            fmt = img.format
            if fmt not in IMAGE_FORMATS:
                raise _rejected("type_or_pdf" if allow_pdf else "type", name)
            if img.width * img.height > MAX_PIXELS:
                raise _rejected("too_many_pixels", name, max_mp=_MP)
            img.load()  # first frame only for animations
            ImageOps.exif_transpose(img, in_place=True)
            return _normalise(img), fmt
    except UploadRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _rejected("too_many_pixels", name, max_mp=_MP) from None
    except (ValueError, OSError, SyntaxError, EOFError):
        raise _rejected("damaged", name) from None
    except Exception:
        # Malformed files have made Pillow raise about anything (struct.error,
        # IndexError...); an unreadable upload must not turn into a server error.
        logger.warning("Unexpected error decoding upload %r", name, exc_info=True)
        raise _rejected("damaged", name) from None


def _encode(img: Image.Image, fmt: str, **options) -> bytes:
    buffer = BytesIO()
    img.save(buffer, fmt, **options)
    return buffer.getvalue()


def _thumbnail(img: Image.Image) -> bytes:
    width, height = img.size
    scale = THUMB_SIZE / max(width, height)
    if scale < 1:
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        # reducing_gap shrinks by cheap integer steps first: much faster on big photos.
        img = img.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    if img.mode == "RGBA":
        return _encode(img, "PNG", optimize=True)
    return _encode(img, "JPEG", quality=85)


def process_upload(uploaded, *, allow_pdf: bool = False) -> ProcessedFile:
    """Check one uploaded file and return it re-encoded, or raise UploadRejected."""
    name = _clean_name(getattr(uploaded, "name", ""))
    data = _read_capped(uploaded, name)
    if data.startswith(b"%PDF-"):
        if not allow_pdf:
            raise _rejected("type", name)
        # The trailer check refuses truncated uploads and files that merely start like a PDF.
        if b"%%EOF" not in data[-PDF_EOF_WINDOW:]:
            raise _rejected("damaged", name)
        return ProcessedFile("pdf", data, None, "pdf", "application/pdf", None, None, name)
    img, fmt = _decode(data, name, allow_pdf)
    extension, content_type = IMAGE_FORMATS[fmt]
    content = _encode(img, fmt, **_SAVE_OPTIONS.get(fmt, {}))
    return ProcessedFile(
        "image", content, _thumbnail(img), extension, content_type, img.width, img.height, name
    )


def process_uploads(
    files, *, allow_pdf: bool = False
) -> tuple[list[ProcessedFile], list[UploadRejected]]:
    """Process several uploads, keeping the good files and reporting each bad one."""
    accepted, rejected = [], []
    for index, uploaded in enumerate(f for f in files if f):
        if index >= MAX_FILES_PER_UPLOAD:
            name = _clean_name(getattr(uploaded, "name", ""))
            rejected.append(_rejected("too_many_files", name, max_files=MAX_FILES_PER_UPLOAD))
            continue
        try:
            accepted.append(process_upload(uploaded, allow_pdf=allow_pdf))
        except UploadRejected as exc:
            rejected.append(exc)
    return accepted, rejected


def random_name(extension: str) -> str:
    """Return an unguessable storage path such as "a3/a39f…(32 hex).jpg"."""
    extension = extension.lower().lstrip(".")
    # Only extensions we produce ourselves: a caller passing the uploader's one is a bug.
    if extension not in _EXTENSIONS:
        raise ValueError(f"Unexpected extension for a stored upload: {extension!r}")
    token = secrets.token_hex(16)
    # The shard keeps folders small; taken from the token, it can be found from the name.
    return f"{token[:2]}/{token}.{extension}"


class MultipleFileInput(forms.ClearableFileInput):
    """File input that lets the browser select several files at once."""

    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Form field returning the list of uploaded files, to hand to process_uploads()."""

    widget = MultipleFileInput

    def __init__(self, *, allow_pdf: bool = False, **kwargs):
        self.allow_pdf = allow_pdf
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        """Add the accept attribute, a hint for the browser's file picker only."""
        attrs = super().widget_attrs(widget)
        attrs["accept"] = IMAGE_ACCEPT + (",application/pdf" if self.allow_pdf else "")
        return attrs

    def clean(self, data, initial=None):
        """Return the uploaded files as a list, empty when none were sent."""
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        # FileField's own per-file checks would fail the whole form for one empty file;
        # process_uploads() reports each bad file and keeps the good ones instead.
        if not all(hasattr(f, "name") and hasattr(f, "size") for f in files):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return files
