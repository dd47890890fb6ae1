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


# Free text: a purpose, a description, notes. A page of text is a few thousand characters;
# without a limit a megabyte of text reached PostgreSQL's full-text index and failed there.
TEXT_MAX_LENGTH = 5_000
# An article's body, the one long text.
LONG_TEXT_MAX_LENGTH = 50_000


def text_limit(length: int = TEXT_MAX_LENGTH) -> dict:
    """Arguments for a TextField: max_length limits its form field (and the textarea), the
    validator makes a service's full_clean() enforce it too, which max_length alone does not."""
    return {"max_length": length, "validators": [MaxLengthValidator(length)]}
