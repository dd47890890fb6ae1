"""Uploaded agreement documents: PDF, DOCX or ODT, at most 10 MB, type read from the content."""

import zipfile

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

MAX_DOCUMENT_SIZE = 10 * 1024 * 1024

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"


def sniff_document_type(uploaded) -> str | None:
    """The real type of an uploaded file from its bytes, whatever its name claims."""
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(uploaded) as archive:
                names = set(archive.namelist())
                if "mimetype" in names and archive.read("mimetype").strip() == ODT.encode():
                    return ODT
                if "[Content_Types].xml" in names and "word/document.xml" in names:
                    return DOCX
        except zipfile.BadZipFile:
            return None
        finally:
            uploaded.seek(0)
    return None


def validate_document(uploaded) -> None:
    if uploaded.size > MAX_DOCUMENT_SIZE:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s."),
            code="too_large",
            params={
                "size": filesizeformat(uploaded.size),
                "limit": filesizeformat(MAX_DOCUMENT_SIZE),
            },
        )
    if sniff_document_type(uploaded) is None:
        raise ValidationError(
            _("Only PDF, Word (DOCX) and OpenDocument text (ODT) files can be uploaded."),
            code="file_type",
        )
