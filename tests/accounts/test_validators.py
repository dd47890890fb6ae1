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


# 974760673 written with other digits than 0-9: int() reads each as the same number.
ARABIC_INDIC = "٩٧٤٧٦٠٦٧٣"
FULL_WIDTH = "９７４７６０６７３"


@pytest.mark.parametrize("number", [ARABIC_INDIC, FULL_WIDTH, "９７４ ７６０ ６７３ MVA"])
def test_digits_other_than_ascii_are_refused(number):
    with pytest.raises(ValidationError) as raised:
        validate_org_number(normalise_org_number(number))
    assert raised.value.code == "format"


@pytest.mark.parametrize("number", ["000000000", "111111111", "999999999"])
def test_numbers_of_one_repeated_digit_are_refused_though_they_pass_mod11(number):
    with pytest.raises(ValidationError) as raised:
        validate_org_number(number)
    assert raised.value.code == "placeholder"


def test_no_break_spaces_and_the_no_prefix_with_a_space_are_ignored():
    assert normalise_org_number("NO 974\u00a0760\u00a0673 mva") == "974760673"
