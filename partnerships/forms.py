from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts import access
from portal.accounts.models import Organisation, User
from portal.accounts.validators import normalise_org_number
from portal.validators import validate_date_in_range

from .models import Activity, Agreement, AgreementDocument, ContactPerson, FocusArea, Goal
from .services import PartyInput
from .validators import validate_document


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def advisers():
    return access.responsible_candidates(User.objects.all())


class AgreementForm(forms.ModelForm):
    focus_areas = forms.MultipleChoiceField(
        label=_("Focus areas"),
        choices=FocusArea.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "aksel-checkbox__input"}),
        required=False,
    )

    class Meta:
        model = Agreement
        fields = [
            "title",
            "purpose",
            "focus_areas",
            "start_date",
            "end_date",
            "notice_period_months",
            "responsible_adviser",
            "partner_contact",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "purpose": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "start_date": _("Agreements signed years ago can be registered afterwards."),
            "end_date": _("Leave empty for an agreement that runs until it is ended."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_adviser"].queryset = advisers()
        self.fields["partner_contact"].queryset = ContactPerson.objects.filter(
            organisation__kind=Organisation.Kind.PARTNER
        ).select_related("organisation")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end <= start:
            self.add_error("end_date", _("The end date must be after the start date."))
        return cleaned


class PartyForm(forms.Form):
    """One row: an organisation and (optionally) one person who signed for it.

    Two rows with the same organisation give that party two signatories.
    """

    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.filter(
            kind__in=[Organisation.Kind.NAV_UNIT, Organisation.Kind.PARTNER]
        ),
    )
    signatory_name = forms.CharField(label=_("Signed by"), max_length=200, required=False)
    signatory_title = forms.CharField(label=_("Position"), max_length=200, required=False)
    signed_on = forms.DateField(
        label=_("Date signed"),
        required=False,
        widget=DateInput(),
        validators=[validate_date_in_range],
    )

    def clean_signed_on(self):
        signed_on = self.cleaned_data.get("signed_on")
        if signed_on and signed_on > timezone.localdate():
            raise forms.ValidationError(_("The signing date cannot be in the future."))
        return signed_on

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("signatory_title") or cleaned.get("signed_on")) and not cleaned.get(
            "signatory_name"
        ):
            self.add_error("signatory_name", _("Give the name of the person who signed."))
        return cleaned


class BasePartyFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        kinds = {
            form.cleaned_data["organisation"].kind
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        }
        if Organisation.Kind.NAV_UNIT not in kinds or Organisation.Kind.PARTNER not in kinds:
            raise forms.ValidationError(
                _("An agreement needs at least one NAV unit and one partner among its parties.")
            )

    def parties(self) -> list[PartyInput]:
        by_organisation: dict[int, PartyInput] = {}
        for form in self.forms:
            data = form.cleaned_data
            if not data or data.get("DELETE"):
                continue
            party = by_organisation.setdefault(
                data["organisation"].pk, PartyInput(organisation=data["organisation"])
            )
            if data.get("signatory_name"):
                party.signatories.append(
                    {
                        "name": data["signatory_name"],
                        "title": data.get("signatory_title", ""),
                        "signed_on": data.get("signed_on"),
                    }
                )
        return list(by_organisation.values())


PartyFormSet = forms.formset_factory(
    PartyForm, formset=BasePartyFormSet, extra=0, min_num=2, validate_min=True, can_delete=True
)


def party_initial(agreement: Agreement) -> list[dict]:
    rows = []
    for party in agreement.parties.all():
        signatories = list(party.signatories.all()) or [None]
        for signatory in signatories:
            rows.append(
                {
                    "organisation": party.organisation,
                    "signatory_name": signatory.name if signatory else "",
                    "signatory_title": signatory.title if signatory else "",
                    "signed_on": signatory.signed_on if signatory else None,
                }
            )
    return rows


class GoalForm(forms.ModelForm):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Goal
        fields = ["text", "target", "measure", "reached_manual"]
        help_texts = {
            "reached_manual": _("Used only when progress is typed in."),
        }


class RowsFormSet(forms.BaseFormSet):
    """A formset whose kept rows are handed to a service as plain dicts."""

    def rows(self) -> list[dict]:
        return [
            {key: value for key, value in form.cleaned_data.items() if key != "DELETE"}
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


GoalFormSet = forms.formset_factory(GoalForm, formset=RowsFormSet, extra=1, can_delete=True)


class ActivityForm(forms.ModelForm):
    prefix = "activity"  # the agreement page holds several forms: keep their ids apart
    kind = forms.ChoiceField(label=_("Kind"), choices=Activity.Kind.choices)

    class Meta:
        model = Activity
        fields = ["kind", "title", "due_date", "responsible", "notes"]
        widgets = {"due_date": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, agreement: Agreement, **kwargs):
        super().__init__(*args, **kwargs)
        # The adviser, or someone from one of the parties.
        self.fields["responsible"].queryset = User.objects.filter(
            Q(memberships__organisation__in=agreement.parties.values("organisation"))
            | Q(pk=agreement.responsible_adviser_id),
            is_active=True,
        ).distinct()


class DocumentForm(forms.ModelForm):
    prefix = "document"
    file = forms.FileField(
        label=_("File"),
        validators=[validate_document],
        help_text=_("PDF, DOCX or ODT, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.odt,application/pdf"}),
    )

    class Meta:
        model = AgreementDocument
        fields = ["title", "kind", "file"]


class OrganisationForm(forms.ModelForm):
    # Wider than the nine digits stored: people type spaces and "MVA".
    org_number = forms.CharField(
        label=_("Organisation number"),
        max_length=20,
        help_text=_("Nine digits, as in the Central Coordinating Register for Legal Entities."),
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "category",
            "org_number",
            "county",
            "municipality",
            "website",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def clean_org_number(self):
        return normalise_org_number(self.cleaned_data["org_number"])


class ContactForm(forms.ModelForm):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ContactPerson
        fields = ["name", "title", "email", "phone"]


ContactFormSet = forms.formset_factory(ContactForm, formset=RowsFormSet, extra=1, can_delete=True)
