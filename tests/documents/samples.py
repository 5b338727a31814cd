"""Real files of each kind, made on the fly, for upload tests."""

import io
import shutil
import zipfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def image_bytes(kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format=kind.upper())
    return buffer.getvalue()


def docx_bytes(*, macros: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
        if macros:
            archive.writestr("word/vbaProject.bin", b"\x00macro")
    return buffer.getvalue()


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a document")
    return buffer.getvalue()


def executable_bytes() -> bytes:
    return Path(shutil.which("true") or "/bin/true").read_bytes()


SAMPLES = {
    "pdf": ("proof.pdf", pdf_bytes),
    "png": ("scan.png", lambda: image_bytes("png")),
    "jpeg": ("photo.jpg", lambda: image_bytes("jpeg")),
    "docx": ("statement.docx", docx_bytes),
}


def upload(kind: str = "pdf", name: str | None = None) -> SimpleUploadedFile:
    default_name, make = SAMPLES[kind]
    return SimpleUploadedFile(name or default_name, make())
