"""Agreement documents: ZIP-based types are checked without unpacking them.

The hostile archives are built here, streaming, so the test itself stays small in memory.
"""

import io
import itertools
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from partnerships.validators import DOCX, ODT, sniff_document_type, validate_document

MB = 1024 * 1024


def archive(members) -> bytes:
    """A ZIP of (name, [chunks]) members; chunks are written one by one, so a member of
    hundreds of megabytes of zeros never sits in memory."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zip_file:
        for name, chunks in members:
            with zip_file.open(name, "w", force_zip64=True) as member:
                for chunk in chunks:
                    member.write(chunk)
    return buffer.getvalue()


def zeros(megabytes, byte=b"\0"):
    block = byte * MB
    return (block for _ in range(megabytes))


def odt(mimetype: bytes, *more) -> bytes:
    return archive([("mimetype", [mimetype]), ("content.xml", [b"<office:document/>"]), *more])


def docx(*more) -> bytes:
    return archive(
        [("[Content_Types].xml", [b"<Types/>"]), ("word/document.xml", [b"<w:document/>"]), *more]
    )


def refused_with_bounded_memory(data: bytes) -> ValidationError:
    upload = SimpleUploadedFile("avtale.odt", data)
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError) as raised:
            validate_document(upload)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * MB, f"checking the file took {peak / MB:.1f} MB"
    return raised.value


def test_real_odt_and_docx_are_recognised():
    assert sniff_document_type(SimpleUploadedFile("a.odt", odt(ODT.encode()))) == ODT
    assert sniff_document_type(SimpleUploadedFile("a.docx", docx())) == DOCX


def test_an_odt_that_unpacks_to_hundreds_of_megabytes_is_refused_unread():
    bomb = odt(ODT.encode(), ("Pictures/zeros.png", zeros(300)))
    assert len(bomb) < MB
    with translation.override("en"):
        error = refused_with_bounded_memory(bomb)
        assert error.code == "archive_too_large"
        assert "holds far more than a document does" in error.messages[0]


def test_a_member_compressed_a_thousand_times_is_refused_even_under_the_total_limit():
    error = refused_with_bounded_memory(docx(("word/media/image1.png", zeros(50))))
    assert error.code == "archive_too_large"


def test_an_archive_of_thousands_of_members_is_refused_before_they_are_listed():
    # Listing 20,000 members would take zipfile some 10 MB; the end record says how many.
    many = [(f"word/m{n}.xml", [b""]) for n in range(20_000)]
    error = refused_with_bounded_memory(docx(*many))
    assert error.code == "archive_too_large"


def test_an_odt_mimetype_is_compared_exactly():
    # Readers of ODF take the member as it is: a newline or spaces after it is not an ODT.
    padded = archive([("mimetype", itertools.chain([ODT.encode()], zeros(200, b" ")))])
    error = refused_with_bounded_memory(padded)
    assert error.code == "archive_too_large"
    for mimetype in (ODT.encode() + b"\n", b"  " + ODT.encode(), ODT.encode()[:-1]):
        with pytest.raises(ValidationError) as raised:
            validate_document(SimpleUploadedFile("avtale.odt", odt(mimetype)))
        assert raised.value.code == "file_type"


def test_a_small_odt_with_spaces_after_its_mimetype_is_not_an_odt():
    # Under the size limits, so only the exact comparison refuses it.
    upload = SimpleUploadedFile("avtale.odt", odt(ODT.encode() + b" " * 4096))
    assert sniff_document_type(upload) is None


@pytest.mark.parametrize("cut", [10, 200, -30])
def test_a_truncated_archive_is_not_a_document(cut):
    data = docx()
    with pytest.raises(ValidationError) as raised:
        validate_document(SimpleUploadedFile("avtale.docx", data[:cut]))
    assert raised.value.code == "file_type"
