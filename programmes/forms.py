from django import forms
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.accounts.models import Organisation
from portal.pickers import Picker, PickerForm

from . import selectors
from .models import OfferKind, Programme, Session, SessionResult, SignUp


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class SearchBox(forms.TextInput):
    input_type = "search"


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


class ProgrammeForm(PickerForm, forms.ModelForm):
    """Organisers and agreements are pickers (portal.pickers): checkboxes of the chosen ones,
    and a search that finds more to tick. Their choices stay what the view gives (what the
    form accepts); the search offers only the part the user may name or see."""

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
        }

    pickers = {
        "organisers": Picker(
            search_label=_("Find an organiser"),
            help_text=_("Type part of the name; the matches appear below, to tick."),
            no_match=_("No organisation matches"),
            matching=selectors.organisers_matching,
        ),
        "agreements": Picker(
            search_label=_("Find an agreement"),
            help_text=_(
                "Type part of the title, the reference or a party's name; the matches appear "
                "below, to tick."
            ),
            no_match=_("No signed agreement matches"),
            matching=selectors.agreements_matching,
        ),
    }

    def __init__(self, *args, organisers, agreements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisers"].queryset = organisers
        self.fields["agreements"].queryset = agreements
        if self.instance.pk:  # the programme's own, prefetched: no query for their names
            for name in self.pickers:
                field = self.fields[name]
                field.widget.labels = {
                    str(o.pk): field.label_from_instance(o)
                    for o in getattr(self.instance, name).all()
                }
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _(
            "Made from the name when left empty, as in /programmes/workop-gardermoen/."
        )

    def picker_url(self, name) -> str:
        # An existing programme's form asks with it, so that its agreements the user cannot
        # see stay chosen while they search.
        if self.instance.pk:
            return reverse("programmes:programme_edit_picker", args=[self.instance.slug, name])
        return reverse("programmes:programme_create_picker", args=[name])


class SignUpListForm(forms.Form):
    """The organisers' list of a programme's sign-ups, narrowed by state (a GET form)."""

    status = forms.ChoiceField(
        label=_("State"),
        choices=[("", _("All states")), *SignUp.Status.choices],
        required=False,
    )

    def filters(self) -> dict:
        status = self.cleaned_data.get("status") if self.is_valid() else ""
        return {"status": [status]} if status else {}


class ProgrammeListForm(forms.Form):
    """The organisers' list of programmes, narrowed by title (a GET form)."""

    q = forms.CharField(label=_("Title"), max_length=100, required=False, widget=SearchBox)

    def title(self) -> str:
        return self.cleaned_data["q"].strip() if self.is_valid() else ""


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
