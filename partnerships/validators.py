"""Uploaded agreement documents: PDF, DOCX or ODT, at most 10 MB, type read from the content.

DOCX and ODT are ZIP archives, and a ZIP can unpack to far more than it weighs (a 1 MB ODT
can hold 1 GiB of zeros). The type check therefore reads the archive's directory, refuses an
archive whose declared sizes are absurd, and reads at most a few bytes of one member; it
never unpacks a member in full.
"""

import struct
import zipfile

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

MAX_DOCUMENT_SIZE = 10 * 1024 * 1024

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"

# Far above any real document: a long report with photos is a few hundred members and a
# few tens of MB unpacked, and text compresses at most about 20:1 (a page of one repeated
# letter reaches 100:1 only when it is larger than a real document's members).
MAX_ARCHIVE_MEMBERS = 2000
MAX_ARCHIVE_UNPACKED_SIZE = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
RATIO_CHECKED_ABOVE = 1024 * 1024  # small members may compress extremely (an empty style file)


class ArchiveRefused(Exception):
    """The archive's directory promises more than a real document holds."""


def _declared_member_count(uploaded) -> int | None:
    """The member count in the archive's end record, read before zipfile parses a directory
    entry for each member (a 10 MB archive can list 100,000 empty members).

    The record is the last thing in the file but for a comment of up to 64 KB; 0xFFFF means
    the count is in a ZIP64 record, which no document needs.
    """
    uploaded.seek(0, 2)
    size = uploaded.tell()
    tail_size = min(size, 22 + 0xFFFF)
    uploaded.seek(size - tail_size)
    tail = uploaded.read(tail_size)
    uploaded.seek(0)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None  # zipfile will not open it either
    return struct.unpack_from("<H", tail, at + 10)[0]


def _check_archive(archive: zipfile.ZipFile) -> None:
    members = archive.infolist()
    if len(members) > MAX_ARCHIVE_MEMBERS:
        raise ArchiveRefused
    # The sizes are the directory's own claims: reading checks them (zipfile stops with an
    # error when a member unpacks to more than it declared), so the claims bound the work.
    if sum(member.file_size for member in members) > MAX_ARCHIVE_UNPACKED_SIZE:
        raise ArchiveRefused
    for member in members:
        if (
            member.file_size > RATIO_CHECKED_ABOVE
            and member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1)
        ):
            raise ArchiveRefused


def _read_start(archive: zipfile.ZipFile, name: str, size: int) -> bytes:
    with archive.open(name) as member:
        return member.read(size)


def _archive_type(uploaded) -> str | None:
    count = _declared_member_count(uploaded)
    if count is not None and count > MAX_ARCHIVE_MEMBERS:
        raise ArchiveRefused
    with zipfile.ZipFile(uploaded) as archive:
        _check_archive(archive)
        names = set(archive.namelist())
        # ODF: the mimetype member holds exactly the type, with no whitespace or newline. One
        # byte more than that is read, so that anything after it is noticed.
        if "mimetype" in names and _read_start(archive, "mimetype", len(ODT) + 1) == ODT.encode():
            return ODT
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return DOCX
    return None


def sniff_document_type(uploaded) -> str | None:
    """The real type of an uploaded file from its bytes, whatever its name claims."""
    try:
        return _sniff(uploaded)
    except ArchiveRefused:
        return None


def _sniff(uploaded) -> str | None:
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        try:
            return _archive_type(uploaded)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError):
            # Broken, truncated, encrypted or in an unknown compression: not a document.
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
    try:
        document_type = _sniff(uploaded)
    except ArchiveRefused:
        raise ValidationError(
            _(
                "Unpacked, the file holds far more than a document does, so it cannot be "
                "uploaded. Save it again from your word processor, or as PDF."
            ),
            code="archive_too_large",
        ) from None
    if document_type is None:
        raise ValidationError(
            _("Only PDF, Word (DOCX) and OpenDocument text (ODT) files can be uploaded."),
            code="file_type",
        )
