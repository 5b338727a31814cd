import re
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.db.models.fields.files import FieldFile

from documents.forms import DocumentField
from documents.responses import private_file_response
from documents.storage import PrivateStorage, private_storage, private_upload_to
from documents.validators import validate_upload
from tests.documents.conftest import stored_files
from tests.documents.samples import SAMPLES, docx_bytes, executable_bytes, pdf_bytes, upload, zip_bytes


@pytest.mark.parametrize("kind", ["pdf", "png", "jpeg", "docx"])
def test_real_documents_of_each_kind_are_accepted(kind):
    assert validate_upload(upload(kind)) == kind


def test_jpeg_may_end_in_jpeg_as_well_as_jpg():
    assert validate_upload(upload("jpeg", name="photo.JPEG")) == "jpeg"


def test_file_over_the_limit_is_refused_with_its_size(settings):
    settings.DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
    big = SimpleUploadedFile("big.pdf", pdf_bytes() + b"\0" * (10 * 1024 * 1024))

    with pytest.raises(ValidationError) as error:
        validate_upload(big)

    assert error.value.code == "too_big"
    assert error.value.messages == ["This file is 10.0\u00a0MB; files may be at most 10.0\u00a0MB."]


def test_explicit_limit_overrides_the_setting():
    with pytest.raises(ValidationError, match="at most"):
        validate_upload(upload("pdf"), max_bytes=100)


def test_empty_file_is_refused():
    with pytest.raises(ValidationError, match="This file is empty"):
        validate_upload(SimpleUploadedFile("empty.pdf", b""))


def test_executable_renamed_pdf_is_refused_by_its_content():
    renamed = SimpleUploadedFile("cv.pdf", executable_bytes(), content_type="application/pdf")

    with pytest.raises(ValidationError, match="Its content was checked") as error:
        validate_upload(renamed)

    assert error.value.code == "wrong_content"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("notes.docx", zip_bytes()),
        ("macros.docx", docx_bytes(macros=True)),
        ("page.pdf", b"<html><script>alert(1)</script></html>"),
        ("fake.png", b"GIF89a" + b"\0" * 40),
    ],
)
def test_content_that_is_not_an_allowed_kind_is_refused(name, content):
    with pytest.raises(ValidationError, match="not a PDF, JPEG, PNG or Word"):
        validate_upload(SimpleUploadedFile(name, content))


@pytest.mark.parametrize(
    "name",
    ["../proof.pdf", "../../etc/passwd.pdf", "folder/proof.pdf", "..\\proof.pdf", "C:proof.pdf",
     "..", "proof\x00.pdf", "proof\n.pdf", "fdp.\u202eexe.pdf", ""],
)
def test_unsafe_names_are_refused(name):
    with pytest.raises(ValidationError, match="This file name is not allowed") as error:
        validate_upload(ContentFile(pdf_bytes(), name=name))

    assert error.value.code == "unsafe_name"


def test_name_whose_extension_contradicts_the_content_is_refused():
    with pytest.raises(ValidationError, match=r'ends in "\.png" but its content is PDF'):
        validate_upload(upload("pdf", name="scan.png"))


def test_kinds_limit_what_is_accepted():
    with pytest.raises(ValidationError, match="not a PNG or JPEG document"):
        validate_upload(upload("pdf"), kinds=("png", "jpeg"))


def test_document_field_reports_the_reason_and_tags_the_kind():
    field = DocumentField()

    assert field.clean(upload("png")).document_kind == "png"
    with pytest.raises(ValidationError, match="Its content was checked"):
        field.clean(SimpleUploadedFile("cv.pdf", executable_bytes()))
    assert field.widget.attrs["accept"] == ".docx,.jpeg,.jpg,.pdf,.png"


def test_document_field_refuses_a_traversal_name_that_reached_it():
    file = upload("pdf")
    file._name = "../../proof.pdf"  # as a client that bypasses the multipart parser could send it

    with pytest.raises(ValidationError, match="This file name is not allowed"):
        DocumentField().clean(file)


def test_upload_to_gives_a_non_guessable_name_under_the_prefix():
    name = private_upload_to("evidence")(None, "My CV (final).PDF")

    assert re.fullmatch(r"evidence/\d{4}/[0-9a-f]{32}\.pdf", name)
    assert name != private_upload_to("evidence")(None, "My CV (final).PDF")
    assert private_upload_to("x")(None, "weird.p d f").endswith(tuple("0123456789abcdef"))


def test_private_storage_writes_under_private_media_root_and_has_no_url(private_media):
    stored = private_storage.save(private_upload_to("evidence")(None, "proof.pdf"), ContentFile(pdf_bytes()))

    assert (private_media / stored).read_bytes() == pdf_bytes()
    with pytest.raises(ValueError, match="no URL"):
        private_storage.url(stored)


def test_private_storage_deconstructs_for_migrations():
    field = models.FileField(storage=private_storage, upload_to=private_upload_to("cv"))
    _name, _path, _args, kwargs = field.deconstruct()

    assert kwargs["storage"].deconstruct() == ("documents.storage.PrivateStorage", (), {})
    assert kwargs["upload_to"].deconstruct() == ("documents.storage.private_upload_to", ("cv",), {})
    assert isinstance(kwargs["storage"], PrivateStorage)


def test_private_file_response_headers(private_media):
    stored = private_storage.save("evidence/2026/abc.pdf", ContentFile(pdf_bytes()))
    field_file = FieldFile(None, models.FileField(storage=private_storage), stored)

    response = private_file_response(field_file, download_name="Amara’s proof.pdf")
    inline = private_file_response(field_file, download_name="proof.pdf", inline=True)

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''Amara%E2%80%99s%20proof.pdf" in response["Content-Disposition"]
    assert inline["Content-Disposition"] == 'inline; filename="proof.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == pdf_bytes()
    inline.file_to_stream.close()


# Through Django's multipart parser, as a browser sends them.
pytestmark_urls = pytest.mark.urls("tests.documents.urls")


@pytestmark_urls
@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_http_upload_of_a_real_document_is_stored(client, private_media, kind):
    response = client.post("/upload/", {"document": upload(kind)})

    assert response.status_code == 200, response.content
    assert [p.relative_to(private_media).as_posix() for p in stored_files(private_media)] == [response.content.decode()]


@pytestmark_urls
@pytest.mark.parametrize(
    ("file", "message"),
    [
        (lambda: SimpleUploadedFile("big.pdf", pdf_bytes() + b"\0" * 60_000), "files may be at most 50.0\u00a0KB"),
        (lambda: SimpleUploadedFile("cv.pdf", executable_bytes()[:40_000]), "Its content was checked"),
    ],
    ids=["oversized", "executable-renamed-pdf"],
)
def test_http_upload_refused_with_a_message_and_nothing_stored(client, settings, private_media, file, message):
    settings.DOCUMENT_MAX_BYTES = 50 * 1024

    response = client.post("/upload/", {"document": file()})

    assert response.status_code == 400
    assert message in response.json()["errors"][0]
    assert stored_files(private_media) == []


@pytestmark_urls
def test_http_upload_with_traversal_name_cannot_leave_the_private_folder(client, private_media, tmp_path):
    boundary = uuid.uuid4().hex
    body = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"document\"; filename=\"../../escape.pdf\"\r\n"
        "Content-Type: application/pdf\r\n\r\n"
    ).encode() + pdf_bytes() + f"\r\n--{boundary}--\r\n".encode()

    response = client.generic("POST", "/upload/", body, content_type=f"multipart/form-data; boundary={boundary}")

    # Django's parser drops the folders before any code sees the name; the stored name is ours anyway.
    assert response.status_code == 200
    assert re.fullmatch(r"test-evidence/\d{4}/[0-9a-f]{32}\.pdf", response.content.decode())
    assert [p for p in tmp_path.rglob("escape.pdf")] == []
