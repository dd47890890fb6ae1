"""Limits on what people may type, shared by every app's models and forms."""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

# Dates people type (an agreement's start, a signature, a due date): far enough back for an
# agreement signed long ago, far enough ahead for any plan. Outside it a date is a typo, and
# 9999-12-31 + 1 day overflows Python's date.
EARLIEST_DATE = date(1990, 1, 1)
LATEST_DATE = date(2100, 12, 31)


def validate_date_in_range(value: date) -> None:
    if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(
            _("Give a date between %(earliest)s and %(latest)s."),
            code="date_out_of_range",
            params={
                "earliest": date_format(EARLIEST_DATE, "SHORT_DATE_FORMAT"),
                "latest": date_format(LATEST_DATE, "SHORT_DATE_FORMAT"),
            },
        )


def validate_datetime_in_range(value) -> None:
    """The same range for a date and time (a session's start)."""
    if value is not None:
        validate_date_in_range(value.date())


def validate_one_line(value: str) -> None:
    """No line breaks or other control characters: a name goes into e-mail subjects and
    calendar lines, where one would break the format."""
    if value and any(ord(char) < 32 or 0x7F <= ord(char) < 0xA0 for char in value):
        raise ValidationError(
            _("Write it on one line, without special characters."), code="one_line"
        )


# Free text: a purpose, a description, notes. A page of text is a few thousand characters;
# without a limit a megabyte of text reached PostgreSQL's full-text index and failed there.
TEXT_MAX_LENGTH = 5_000
# An article's body, the one long text.
LONG_TEXT_MAX_LENGTH = 50_000


def text_limit(length: int = TEXT_MAX_LENGTH) -> dict:
    """Arguments for a TextField: max_length limits its form field (and the textarea), the
    validator makes a service's full_clean() enforce it too, which max_length alone does not."""
    return {"max_length": length, "validators": [MaxLengthValidator(length)]}
