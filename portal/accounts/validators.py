import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.no import orgnr

# Weights of Brønnøysundregistrene's MOD11 check digit for organisation numbers.
ORG_NUMBER_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)

# [0-9], not \d or str.isdigit(): those accept Arabic-Indic and full-width digits, which
# int() reads as the same number, so "٩١٠٠٠٠٠٠٤" passed the check digit and, stored as other
# characters, slipped past the uniqueness of "910000004".
NINE_ASCII_DIGITS = re.compile(r"[0-9]{9}")


def org_number_check_digit(first_eight: str) -> int | None:
    """The ninth digit that makes first_eight a valid number, or None when none can.

    python-stdnum validates but does not compute the digit; test data needs it.
    """
    remainder = sum(int(d) * w for d, w in zip(first_eight, ORG_NUMBER_WEIGHTS, strict=True)) % 11
    check = 0 if remainder == 0 else 11 - remainder
    return None if check == 10 else check


def validate_org_number(value: str) -> None:
    if not NINE_ASCII_DIGITS.fullmatch(value):
        raise ValidationError(
            _("An organisation number has exactly 9 digits (0–9), like 974760673."),
            code="format",
        )
    # 000000000, 111111111 and the like pass MOD11 but are nobody's number.
    if len(set(value)) == 1:
        raise ValidationError(
            _("%(value)s is not a real organisation number."),
            code="placeholder",
            params={"value": value},
        )
    try:
        orgnr.validate(value)
    except StdnumValidationError:
        raise ValidationError(
            _("%(value)s is not a valid organisation number: the check digit does not match."),
            code="check_digit",
            params={"value": value},
        ) from None


def normalise_org_number(value: str) -> str:
    """People type '974 760 673' or 'NO 974760673 MVA'; we store the nine digits.

    Only separators and the VAT affixes are removed: other digits than 0-9 are left for
    validate_org_number to refuse, never translated.
    """
    cleaned = "".join(value.split()).upper().removesuffix("MVA").removeprefix("NO")
    return cleaned
