"""The reminder settings' days, typed as "90, 30, 7" in the admin site."""

import pytest

from portal.reminders.forms import ReminderSettingForm
from portal.reminders.models import ReminderSetting
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_days_typed_with_commas_are_saved_as_whole_numbers_largest_first():
    setting = ReminderSetting.objects.create(rule="agreement_ending", offsets=[30])
    form = ReminderSettingForm({"active": "on", "offsets": "7, 90,30 , 30"}, instance=setting)
    assert form.is_valid(), form.errors
    form.save()
    setting.refresh_from_db()
    assert setting.offsets == [90, 30, 7]


def test_the_form_shows_the_days_as_typed_text():
    setting = ReminderSetting.objects.create(rule="agreement_ending", offsets=[90, 30, 7])
    assert 'value="90, 30, 7"' in str(ReminderSettingForm(instance=setting)["offsets"])


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("90, tretti", "“tretti” is not a whole number of days."),
        ("7.5", "“7.5” is not a whole number of days."),
        ("-1", "“-1” is not a whole number of days."),
        ("400", "400 days is too many: at most 365."),
    ],
)
def test_wrong_days_are_refused_with_a_clear_message(typed, error):
    from django.utils import translation

    with translation.override("en"):
        form = ReminderSettingForm({"active": "on", "offsets": typed})
        assert not form.is_valid()
        assert form.errors["offsets"] == [error]


def test_an_admin_edits_the_days_in_the_admin_site(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    setting = ReminderSetting.objects.create(rule="agreement_ending", offsets=[30])
    client.force_login(admin)
    url = f"/admin/reminders/remindersetting/{setting.pk}/change/"
    client.cookies["django_language"] = "en"
    page = client.get(url)
    assert page.status_code == 200 and 'value="30"' in page.content.decode()
    response = client.post(url, {"active": "on", "offsets": "365, 0"})
    assert response.status_code == 302
    setting.refresh_from_db()
    assert setting.offsets == [365, 0]
    response = client.post(url, {"active": "on", "offsets": "1000"})
    assert "1000 days is too many: at most 365." in response.content.decode()
