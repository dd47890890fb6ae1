from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Weights of Brønnøysundregistrene's MOD11 check digit for organisation numbers.
ORG_NUMBER_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


def org_number_check_digit(first_eight: str) -> int | None:
    """The ninth digit that makes first_eight a valid number, or None when none can."""
    remainder = sum(int(d) * w for d, w in zip(first_eight, ORG_NUMBER_WEIGHTS, strict=True)) % 11
    check = 0 if remainder == 0 else 11 - remainder
    return None if check == 10 else check


def validate_org_number(value: str) -> None:
    if len(value) != 9 or not value.isdigit():
        raise ValidationError(
            _("An organisation number has exactly 9 digits, like 974760673."), code="format"
        )
    if org_number_check_digit(value[:8]) != int(value[8]):
        raise ValidationError(
            _("%(value)s is not a valid organisation number: the check digit does not match."),
            code="check_digit",
            params={"value": value},
        )


def normalise_org_number(value: str) -> str:
    """People type '974 760 673' or '974760673 MVA'; we store the nine digits."""
    cleaned = value.upper().removesuffix("MVA").replace(" ", "").replace("\u00a0", "").strip()
    return cleaned.removeprefix("NO")
