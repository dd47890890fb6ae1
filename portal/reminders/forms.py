import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import ReminderSetting

OFFSET_MAX = 365


class OffsetsField(forms.CharField):
    """Days typed as "90, 30, 7": whole numbers 0-365, kept as a list, largest first."""

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(number) for number in value)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        numbers = []
        for part in (p.strip() for p in re.split(r"[,;\s]+", value or "")):
            if not part:
                continue
            if not re.fullmatch(r"\d+", part):
                raise ValidationError(
                    _("“%(value)s” is not a whole number of days."),
                    code="invalid",
                    params={"value": part},
                )
            number = int(part)
            if number > OFFSET_MAX:
                raise ValidationError(
                    _("%(value)s days is too many: at most %(max)s."),
                    code="max_value",
                    params={"value": number, "max": OFFSET_MAX},
                )
            numbers.append(number)
        return sorted(set(numbers), reverse=True)


class ReminderSettingForm(forms.ModelForm):
    offsets = OffsetsField(
        label=_("days"),
        required=False,
        help_text=_("Whole numbers of days from 0 to 365, separated by commas, e.g. 90, 30, 7."),
    )

    class Meta:
        model = ReminderSetting
        fields = ["active", "offsets"]


class PreferencesForm(forms.Form):
    categories = forms.MultipleChoiceField(
        label=_("E-mail me about"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=selectors.categories_optional,
    )
