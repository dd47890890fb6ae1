from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.accounts.models import Organisation

from .models import OfferKind, Programme, Session, SessionResult, SignUp


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class SessionChoiceField(forms.ModelMultipleChoiceField):
    """Sessions as checkboxes that say when, where, and whether a place is free."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, session):
        when = formats.date_format(timezone.localtime(session.starts_at), "DATETIME_FORMAT")
        if session.places_left:
            places = ngettext("%(n)s place left", "%(n)s places left", session.places_left) % {
                "n": session.places_left
            }
        else:
            places = _("full: you go on the waiting list")
        return f"{session.title}, {when}, {session.place} ({places})"


# The form fields for each kind of offer: a programme asks only for the kinds it lists.
OFFER_FIELDS = {
    OfferKind.INTERNSHIP: "internship_places",
    OfferKind.JOB: "job_openings",
    OfferKind.MENTORING: "mentors",
    OfferKind.COMPANY_VISIT: "company_visit",
    OfferKind.TALK: "talk",
}


def _ask_only_for(form, programme) -> None:
    asked = set(programme.offer_kinds or OfferKind.values)
    for kind, name in OFFER_FIELDS.items():
        if kind not in asked:
            del form.fields[name]


class SignUpForm(forms.ModelForm):
    """What an employer fills in: sessions, contact, what the company offers, consent."""

    sessions = SessionChoiceField(
        label=_("Sessions"),
        queryset=Session.objects.none(),
        error_messages={"required": _("Choose at least one session.")},
    )
    employer = forms.ModelChoiceField(
        label=_("Company"), queryset=Organisation.objects.none(), empty_label=None
    )

    class Meta:
        model = SignUp
        fields = [
            "contact_name",
            "contact_phone",
            "contact_email",
            "sector",
            "internship_places",
            "job_openings",
            "mentors",
            "company_visit",
            "talk",
            "comment",
            "consent_to_contact",
        ]
        widgets = {"comment": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "internship_places": _("How many young people can have an internship with you?"),
            "job_openings": _("Jobs you are hiring for now or soon."),
            "mentors": _("People in your company who can follow a young person up."),
        }

    field_order = ["employer", "sessions"]

    def __init__(self, *args, sessions, companies, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sessions"].queryset = sessions
        self.fields["employer"].queryset = companies
        if companies.count() == 1:
            self.fields["employer"].widget = forms.HiddenInput()
        self.fields["consent_to_contact"].required = True
        self.fields["consent_to_contact"].error_messages["required"] = _(
            "NAV needs your consent to contact you about the sign-up."
        )
        _ask_only_for(self, programme)


class SignUpChangeForm(forms.ModelForm):
    class Meta:
        model = SignUp
        fields = SignUpForm.Meta.fields[:-1]
        widgets = SignUpForm.Meta.widgets

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _ask_only_for(self, self.instance.session.programme)


class ProgrammeForm(forms.ModelForm):
    offer_kinds = forms.MultipleChoiceField(
        label=_("What employers can offer"),
        choices=OfferKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Programme
        fields = [
            "title",
            "slug",
            "description",
            "target_group",
            "county",
            "organisers",
            "agreements",
            "start_date",
            "end_date",
            "signup_deadline",
            "state",
            "offer_kinds",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "start_date": DateInput(),
            "end_date": DateInput(),
            "signup_deadline": DateInput(),
            "organisers": forms.CheckboxSelectMultiple,
            "agreements": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, organisers, agreements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisers"].queryset = organisers
        self.fields["agreements"].queryset = agreements
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _(
            "Made from the name when left empty, as in /programmes/workop-gardermoen/."
        )


class SessionForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = ["title", "starts_at", "ends_at", "address", "online", "capacity", "description"]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }


class SessionResultForm(forms.ModelForm):
    class Meta:
        model = SessionResult
        fields = [
            "young_people_met",
            "interviews",
            "internships_started",
            "permanent_jobs",
            "temporary_jobs",
        ]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("confirm", _("Confirm")), ("decline", _("Decline"))], widget=forms.HiddenInput
    )
    message = forms.CharField(
        label=_("Message to the employer"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
