"""Tests for claims.photos: every bad file here is a real file built at test time."""

import re
import struct
import zlib
from io import BytesIO

from django.conf import settings

if not settings.configured:
    # Run standalone (no project settings yet); the project's conftest makes this a no-op.
    settings.configure(USE_I18N=False)

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.datastructures import MultiValueDict
from PIL import Image

from claims import photos
from claims.photos import (
    MAX_BYTES,
    MAX_FILES_PER_UPLOAD,
    THUMB_SIZE,
    MultipleFileInput,
    MultipleImageField,
    ProcessedFile,
    UploadRejected,
    process_upload,
    process_uploads,
    random_name,
)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


# --- helpers -----------------------------------------------------------------


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def image_bytes(fmt, size=(20, 10), mode="RGB", color="red", **save_kwargs):
    buffer = BytesIO()
    Image.new(mode, size, color).save(buffer, fmt, **save_kwargs)
    return buffer.getvalue()


def noisy_jpeg(size=(300, 300)):
    """A JPEG with real entropy-coded data, so that cutting it loses pixels."""
    buffer = BytesIO()
    Image.effect_noise(size, 80).convert("RGB").save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def png_chunk(tag, payload):
    crc = struct.pack(">I", zlib.crc32(tag + payload))
    return struct.pack(">I", len(payload)) + tag + payload + crc


def bomb_png(width, height):
    """A real 1-bit grayscale PNG of width x height black pixels, streamed through zlib."""
    row = bytes(1 + (width + 7) // 8)  # filter byte + packed pixels, all zero
    rows_per_block = 100
    block = row * rows_per_block
    compressor = zlib.compressobj(9)
    parts = [compressor.compress(block) for _ in range(height // rows_per_block)]
    parts.append(compressor.compress(row * (height % rows_per_block)))
    parts.append(compressor.flush())
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        PNG_MAGIC
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", b"".join(parts))
        + png_chunk(b"IEND", b"")
    )


def rejected(name, data, **kwargs):
    with pytest.raises(UploadRejected) as info:
        process_upload(upload(name, data), **kwargs)
    exc = info.value
    assert exc.filename == name
    assert f"« {name} »" in exc.message
    return exc


def reopen(data):
    return Image.open(BytesIO(data))


# --- refused files -----------------------------------------------------------


def test_text_file_named_jpg_is_refused():
    exc = rejected("notes.jpg", b"Just some text, not a picture.\n" * 20)
    assert exc.code == "type"
    assert "JPEG, PNG ou WebP" in exc.message


def test_svg_with_script_named_png_is_refused():
    svg = (
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b"<script>alert(document.cookie)</script></svg>"
    )
    assert rejected("logo.png", svg).code == "type"


def test_html_behind_png_magic_is_refused():
    data = PNG_MAGIC + b"<html><body><script>alert(1)</script></body></html>"
    assert rejected("photo.png", data).code == "type"


def test_html_appended_to_a_real_png_is_dropped_by_reencoding():
    data = image_bytes("PNG") + b"<html><script>alert(1)</script></html>"
    result = process_upload(upload("polyglot.png", data))
    assert b"<script" not in result.content
    assert b"<script" not in result.thumbnail


def test_truncated_jpeg_is_refused_as_damaged():
    data = noisy_jpeg()
    exc = rejected("cut.jpg", data[: len(data) // 2])
    assert exc.code == "damaged"


@pytest.mark.parametrize(
    "width, height",
    [
        (7000, 7000),  # 49 MP: above our limit, below Pillow's warning
        (10_000, 10_000),  # 100 MP: Pillow only warns
        (50_000, 50_000),  # 2.5 GP: Pillow's own DecompressionBombError
    ],
)
def test_decompression_bomb_is_refused_for_too_many_pixels(width, height):
    data = bomb_png(width, height)
    assert len(data) < 400_000  # the whole point: tiny file, huge image
    exc = rejected("bomb.png", data)
    assert exc.code == "too_many_pixels"
    assert "40 mégapixels" in exc.message


def test_png_text_chunk_bomb_is_refused():
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    ztxt = b"Comment\x00\x00" + zlib.compress(bytes(8 * 1024 * 1024), 9)
    data = (
        PNG_MAGIC
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"zTXt", ztxt)
        + png_chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + png_chunk(b"IEND", b"")
    )
    assert rejected("text-bomb.png", data).code == "damaged"


def test_file_over_10_mb_is_refused():
    exc = rejected("huge.jpg", b"\xff\xd8\xff" + bytes(11 * 1024 * 1024))
    assert exc.code == "too_large"
    assert "10 Mo" in exc.message


def test_size_is_checked_before_reading():
    class Unreadable(SimpleUploadedFile):
        def read(self, *args):
            raise AssertionError("a file known to be too large must not be read")

    big = Unreadable("huge.jpg", b"")
    big.size = MAX_BYTES + 1
    with pytest.raises(UploadRejected) as info:
        process_upload(big)
    assert info.value.code == "too_large"


def test_wrong_size_does_not_let_a_big_file_through():
    liar = upload("liar.jpg", bytes(MAX_BYTES + 10))
    liar.size = 100
    with pytest.raises(UploadRejected) as info:
        process_upload(liar)
    assert info.value.code == "too_large"


def test_empty_file_is_refused():
    exc = rejected("vide.jpg", b"")
    assert exc.code == "empty"
    assert "vide" in exc.message


def test_gif_is_refused():
    assert rejected("anim.gif", image_bytes("GIF")).code == "type"


def test_gif_named_jpg_is_refused():
    assert rejected("anim.jpg", image_bytes("GIF")).code == "type"


def test_pdf_is_refused_unless_allowed():
    exc = rejected("receipt.pdf", PDF)
    assert exc.code == "type"
    assert "JPEG, PNG ou WebP" in exc.message


@pytest.mark.parametrize(
    "data",
    [
        b"MZ\x90\x00\x03\x00" + bytes(200) + b"This program cannot be run in DOS mode",
        b"\x7fELF\x02\x01\x01\x00" + bytes(300),
    ],
    ids=["windows-exe", "elf"],
)
def test_executable_named_pdf_is_refused(data):
    exc = rejected("facture.pdf", data, allow_pdf=True)
    assert exc.code == "type"
    assert "ni un PDF" in exc.message


def test_pdf_without_trailer_is_refused_as_damaged():
    truncated = PDF[: PDF.index(b"%%EOF")]
    assert rejected("facture.pdf", truncated, allow_pdf=True).code == "damaged"


def test_messages_are_french_msgids():
    with translation.override("fr"):
        exc = rejected("notes.jpg", b"plain text")
    assert exc.message == "« notes.jpg » n'est pas une image JPEG, PNG ou WebP."


# --- accepted files ----------------------------------------------------------


def gps_jpeg():
    """A 20x10 JPEG, left half red and right half blue, Orientation=6 and GPS data."""
    img = Image.new("RGB", (20, 10), "blue")
    img.paste((255, 0, 0), (0, 0, 10, 10))
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise for display
    exif[0x010F] = "SpyPhone"  # Make
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 7.0)})
    buffer = BytesIO()
    img.save(buffer, "JPEG", exif=exif, quality=95, comment=b"secret comment")
    return buffer.getvalue()


def test_jpeg_with_gps_exif_is_stripped_and_rotated():
    data = gps_jpeg()
    assert reopen(data).getexif().get_ifd(0x8825)  # the input really carries GPS

    result = process_upload(upload("IMG_0001.JPG", data))

    assert (result.kind, result.extension, result.content_type) == ("image", "jpg", "image/jpeg")
    out = reopen(result.content)
    assert out.format == "JPEG"
    assert len(out.getexif()) == 0
    for blob in (result.content, result.thumbnail):
        assert b"Exif" not in blob
        assert b"SpyPhone" not in blob
        assert b"secret comment" not in blob
    assert out.size == (10, 20) == (result.width, result.height)
    # Orientation 6: the left (red) half of the stored picture is the top once shown.
    top, bottom = out.convert("RGB").getpixel((5, 2)), out.convert("RGB").getpixel((5, 17))
    assert top[0] > 200 and top[2] < 60
    assert bottom[2] > 200 and bottom[0] < 60


def test_png_with_alpha_stays_png_with_alpha():
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "Jean Dupont")
    data = image_bytes("PNG", mode="RGBA", color=(0, 128, 255, 100), pnginfo=info)

    result = process_upload(upload("logo.png", data))

    assert (result.extension, result.content_type) == ("png", "image/png")
    out = reopen(result.content)
    assert out.format == "PNG" and out.mode == "RGBA"
    assert out.getpixel((0, 0))[3] == 100
    assert b"Jean Dupont" not in result.content
    assert reopen(result.thumbnail).format == "PNG"
    assert result.thumbnail_extension == "png"


def test_palette_png_with_transparency_becomes_rgba():
    img = Image.new("P", (8, 8), 0)
    img.putpalette([255, 0, 0, 0, 255, 0] + [0] * 762)
    buffer = BytesIO()
    img.save(buffer, "PNG", transparency=0)
    out = reopen(process_upload(upload("p.png", buffer.getvalue())).content)
    assert out.mode == "RGBA" and out.getpixel((0, 0))[3] == 0


def test_16_bit_grayscale_png_is_scaled_not_clipped():
    buffer = BytesIO()
    Image.new("I;16", (8, 8), 40_000).save(buffer, "PNG")
    out = reopen(process_upload(upload("scan.png", buffer.getvalue())).content)
    assert out.mode == "L" and 150 <= out.getpixel((0, 0)) <= 160


def test_cmyk_jpeg_becomes_rgb():
    data = image_bytes("JPEG", mode="CMYK", color=(0, 0, 0, 0))
    result = process_upload(upload("print.jpg", data))
    out = reopen(result.content)
    assert out.mode == "RGB"
    assert min(out.getpixel((0, 0))) > 240  # no ink is white


def test_webp_is_accepted():
    result = process_upload(upload("photo.webp", image_bytes("WEBP", color="green")))
    assert (result.extension, result.content_type) == ("webp", "image/webp")
    assert result.content[:4] == b"RIFF" and result.content[8:12] == b"WEBP"
    assert reopen(result.content).format == "WEBP"


def test_animated_webp_keeps_first_frame_only():
    frames = [Image.new("RGB", (16, 16), color) for color in ("red", "blue", "green")]
    buffer = BytesIO()
    frames[0].save(buffer, "WEBP", save_all=True, append_images=frames[1:], lossless=True)
    assert reopen(buffer.getvalue()).n_frames == 3

    out = reopen(process_upload(upload("anim.webp", buffer.getvalue())).content)
    assert getattr(out, "n_frames", 1) == 1
    red, green, blue = out.convert("RGB").getpixel((8, 8))
    assert red > 200 and green < 60 and blue < 60


def test_content_is_recognised_whatever_the_name():
    result = process_upload(upload("picture.gif", image_bytes("PNG")))
    assert result.extension == "png"


@pytest.mark.parametrize("size", [(1600, 900), (900, 1600), (20, 10)])
def test_thumbnail_fits_in_400_px_and_is_never_enlarged(size):
    result = process_upload(upload("big.jpg", image_bytes("JPEG", size=size)))
    thumb = reopen(result.thumbnail)
    assert thumb.format == "JPEG" and result.thumbnail_extension == "jpg"
    assert max(thumb.size) == min(THUMB_SIZE, max(size))
    assert (result.width, result.height) == size


def test_pdf_is_accepted_when_allowed_and_kept_as_is():
    result = process_upload(upload("facture.pdf", PDF), allow_pdf=True)
    assert result == ProcessedFile(
        kind="pdf",
        content=PDF,
        thumbnail=None,
        extension="pdf",
        content_type="application/pdf",
        width=None,
        height=None,
        original_name="facture.pdf",
    )
    assert result.thumbnail_extension is None


def test_pdf_check_is_by_content_not_name():
    result = process_upload(upload("scan.jpg", PDF), allow_pdf=True)
    assert result.kind == "pdf"


def test_original_name_is_a_clean_basename():
    data = image_bytes("PNG")
    windows_path = upload("C:\\Users\\bob\\Photos\\plage.png", data)
    assert process_upload(windows_path).original_name == "plage.png"
    assert process_upload(upload("abc\u202egnp.exe.png", data)).original_name == "abcgnp.exe.png"
    long_name = process_upload(upload("x" * 300 + ".png", data)).original_name
    assert len(long_name) == 120 and long_name.endswith(".png")


# --- several files -----------------------------------------------------------


def test_process_uploads_keeps_good_files_and_reports_each_bad_one():
    files = [
        upload("a.jpg", image_bytes("JPEG")),
        upload("notes.jpg", b"not an image at all"),
        upload("b.png", image_bytes("PNG")),
        upload("vide.png", b""),
        upload("facture.pdf", PDF),
    ]
    accepted, refused = process_uploads(files)
    assert [f.original_name for f in accepted] == ["a.jpg", "b.png"]
    assert [(r.filename, r.code) for r in refused] == [
        ("notes.jpg", "type"),
        ("vide.png", "empty"),
        ("facture.pdf", "type"),
    ]
    for rejection in refused:
        assert f"« {rejection.filename} »" in rejection.message


def test_process_uploads_refuses_files_beyond_the_limit():
    files = [upload(f"photo{i}.png", image_bytes("PNG")) for i in range(MAX_FILES_PER_UPLOAD + 1)]
    accepted, refused = process_uploads(files)
    assert len(accepted) == MAX_FILES_PER_UPLOAD
    assert [(r.filename, r.code) for r in refused] == [("photo10.png", "too_many_files")]
    assert "10 fichiers au maximum" in refused[0].message


def test_process_uploads_allows_pdf_when_asked():
    accepted, refused = process_uploads([upload("facture.pdf", PDF)], allow_pdf=True)
    assert [f.kind for f in accepted] == ["pdf"] and refused == []


# --- storage names -----------------------------------------------------------


def test_random_name_format_and_uniqueness():
    names = {random_name("jpg") for _ in range(1000)}
    assert len(names) == 1000
    for name in names:
        match = re.fullmatch(r"([0-9a-f]{2})/([0-9a-f]{32})\.jpg", name)
        assert match and match[2].startswith(match[1])
    assert random_name("PDF").endswith(".pdf")


@pytest.mark.parametrize("extension", ["html", "svg", "php", "", "jpg/../x"])
def test_random_name_refuses_other_extensions(extension):
    with pytest.raises(ValueError):
        random_name(extension)


# --- form field --------------------------------------------------------------


class PhotoForm(forms.Form):
    photos = MultipleImageField(required=False)


def test_field_widget_accepts_several_images():
    field = MultipleImageField()
    assert isinstance(field.widget, MultipleFileInput)
    assert field.widget.allow_multiple_selected
    assert field.widget.attrs["accept"] == "image/jpeg,image/png,image/webp"
    assert MultipleImageField(allow_pdf=True).widget.attrs["accept"] == (
        "image/jpeg,image/png,image/webp,application/pdf"
    )


def test_field_returns_the_list_of_files():
    first, second = upload("a.jpg", b"1"), upload("b.jpg", b"2")
    form = PhotoForm(data={}, files=MultiValueDict({"photos": [first, second]}))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["photos"] == [first, second]


def test_field_returns_empty_list_when_optional_and_nothing_sent():
    form = PhotoForm(data={}, files=MultiValueDict())
    assert form.is_valid(), form.errors
    assert form.cleaned_data["photos"] == []
    assert MultipleImageField(required=False).clean(None) == []


def test_field_required():
    with pytest.raises(ValidationError):
        MultipleImageField(required=True).clean([])


def test_field_leaves_per_file_checks_to_process_uploads():
    empty = upload("vide.jpg", b"")
    assert MultipleImageField().clean([empty]) == [empty]
    with pytest.raises(ValidationError):
        MultipleImageField().clean(["not a file"])


def test_module_constants():
    assert photos.MAX_BYTES == 10 * 1024 * 1024
    assert photos.MAX_PIXELS == 40_000_000
    assert photos.THUMB_SIZE == 400
    assert photos.MAX_FILES_PER_UPLOAD == 10
