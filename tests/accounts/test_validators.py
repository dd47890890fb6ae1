import pytest
from django.core.exceptions import ValidationError

from portal.accounts.validators import normalise_org_number, validate_org_number


@pytest.mark.parametrize("number", ["974760673", "910000004", "889640782"])
def test_real_and_demo_numbers_pass_the_mod11_check(number):
    validate_org_number(number)


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("974760674", "check_digit"),  # last digit changed
        ("97476067", "format"),  # eight digits
        ("9747606733", "format"),  # ten digits
        ("97476067A", "format"),
        ("910000080", "check_digit"),  # a base whose check digit would be 10: never valid
    ],
)
def test_wrong_numbers_are_refused_with_a_reason(number, code):
    with pytest.raises(ValidationError) as raised:
        validate_org_number(number)
    assert raised.value.code == code


def test_spaces_and_the_vat_suffix_are_ignored():
    assert normalise_org_number("974 760 673 MVA") == "974760673"
    assert normalise_org_number("NO974760673") == "974760673"
