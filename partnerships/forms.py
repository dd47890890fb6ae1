from django import forms
from django.core import signing
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.accounts import access
from portal.accounts.models import Organisation, User
from portal.accounts.validators import normalise_org_number
from portal.pickers import Picker, PickerForm

from . import selectors
from .models import (
    Activity,
    Agreement,
    AgreementDocument,
    AgreementParty,
    ContactPerson,
    FocusArea,
    Goal,
    Signatory,
)
from .services import PartyInput
from .validators import validate_document


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def advisers():
    return access.responsible_candidates(User.objects.all())


def person_label(user) -> str:
    return f"{user.full_name} ({user.email})" if user.full_name else user.email


def _as_posted(value) -> list[str]:
    """A field's value as a browser posts it (a list of strings)."""
    if value is None:
        return []
    return [str(item) for item in value] if isinstance(value, list | tuple) else [str(value)]


class OpenedAtForm(forms.Form):
    """What the edit form showed when it was opened: the object's version, and its values
    (signed, so they are what the portal showed). A save from an older version is refused;
    the difference between these values and today's tells the user what changed."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    opened = forms.CharField(widget=forms.HiddenInput, required=False)

    SALT = "partnerships.opened"

    def open_at(self, version: int, shown: dict) -> None:
        """Record, in an unbound form, the version and what it shows: ``shown`` as text for
        people (a selector's snapshot), and each field's value as the browser will post it."""
        values = {
            name: _as_posted(self[name].value())
            for name in self.fields
            if name not in OpenedAtForm.base_fields
        }
        opened = signing.dumps({"shown": shown, "values": values}, salt=self.SALT)
        self.initial.update({"version": version, "opened": opened})

    def opened_now(self) -> dict:
        """What open_at recorded."""
        return signing.loads(self.initial["opened"], salt=self.SALT)

    # Read as posted: a stale form is recognised before its rows are judged (a row deleted
    # meanwhile would otherwise be an error of its own).
    def posted_version(self) -> int:
        try:
            return int(self["version"].data)
        except (TypeError, ValueError):
            return 0

    def posted_opened(self) -> dict:
        try:
            return signing.loads(self["opened"].data or "", salt=self.SALT)
        except signing.BadSignature:
            return {}


# --- Pickers (portal.pickers): the agreement and party forms search at
# /forms/pickers/<form>/<field>/ (views.form_picker_options), the activity form at an address
# of its agreement's.


# Whoever is responsible for agreements, found by name or e-mail: in the agreement form and in
# the agreement list's filter.
ADVISER_PICKER = Picker(
    search_label=_("Find an adviser"),
    help_text=_("Type part of the name or e-mail; the matches appear in the list below."),
    no_match=_("No adviser matches"),
    matching=selectors.people_matching,
)


class RegistrationPickers(PickerForm):
    def picker_url(self, name) -> str:
        return reverse("partnerships:picker_options", args=[self.picker_name, name])


class AgreementForm(RegistrationPickers, OpenedAtForm, forms.ModelForm):
    # "End after start" is the model's rule (Agreement.clean, checked by the ModelForm), the
    # parties' rules are the service's: the form only reads input.
    focus_areas = forms.MultipleChoiceField(
        label=_("Focus areas"),
        choices=FocusArea.choices,
        widget=forms.CheckboxSelectMultiple,
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

    picker_name = "agreement"
    pickers = {
        "responsible_adviser": ADVISER_PICKER,
        "partner_contact": Picker(
            search_label=_("Find a contact person"),
            help_text=_(
                "Type part of the name, e-mail or organisation; the matches appear in the list "
                "below."
            ),
            no_match=_("No contact person matches"),
            matching=selectors.contacts_matching,
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_adviser"].queryset = advisers()
        # Namesakes are told apart by their e-mail.
        self.fields["responsible_adviser"].label_from_instance = person_label
        self.fields["partner_contact"].queryset = ContactPerson.objects.filter(
            organisation__kind=Organisation.Kind.PARTNER
        ).select_related("organisation")

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class RowFormSet(forms.BaseInlineFormSet):
    """Rows of a parent (goals of an agreement, say), handed to a service as plain dicts with
    the row's id. Their model formset checks each id belongs to this parent."""

    def get_queryset(self):
        # The parent's rows come prefetched (selectors): no query per formset.
        if self.instance.pk is None:
            return self.model._default_manager.none()
        return getattr(self.instance, self.fk.remote_field.get_accessor_name()).all()

    def kept_forms(self):
        """The rows to save, once validated: not deleted, and existing or filled in."""
        return [
            form
            for form in self.forms
            if (form.instance.pk or form.has_changed()) and not form.cleaned_data.get("DELETE")
        ]

    # The field that identifies a row besides its id (a party's organisation), if any.
    row_key = None

    def nested_formset(self, index, instance):
        """The formset inside row ``index`` (the signatories of a party), if any."""
        return None

    def rows(self) -> list[dict]:
        # Not the parent: the service gives each row its parent (a new one has none yet).
        names = [name for name in self.form._meta.fields if name != self.fk.name]
        return [
            {"id": form.instance.pk, **{name: form.cleaned_data.get(name) for name in names}}
            for form in self.kept_forms()
        ]


class RowForm(forms.ModelForm):
    field_size = "small"  # rows of a formset use Aksel's small fields


class SignatoryForm(RowForm):
    class Meta:
        model = Signatory
        fields = ["name", "title", "signed_on"]
        labels = {"name": _("Signed by"), "title": _("Position")}
        widgets = {"signed_on": DateInput()}


SignatoryFormSet = forms.inlineformset_factory(
    AgreementParty, Signatory, form=SignatoryForm, formset=RowFormSet, extra=1, can_delete=True
)


PARTY_KINDS = [Organisation.Kind.NAV_UNIT, Organisation.Kind.PARTNER]


class PartyForm(RegistrationPickers, RowForm):
    """A party of the agreement, with the people who signed for it (a formset of its own)."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.filter(kind__in=PARTY_KINDS)
    )

    class Meta:
        model = AgreementParty
        fields = ["organisation"]

    picker_name = "party"
    pickers = {
        "organisation": Picker(
            search_label=_("Find an organisation"),
            help_text=_("Type part of the name; the matches appear in the list below."),
            no_match=_("No organisation matches"),
            matching=selectors.organisations_matching,
        )
    }

    def __init__(self, *args, organisation_names=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].widget.labels = organisation_names or {}
        self.signatories = SignatoryFormSet(
            self.data if self.is_bound else None,
            instance=self.instance,
            prefix=f"{self.prefix}-signatories",
        )

    def validate_unique(self):
        # The service matches parties by organisation: a row for an organisation that is a
        # party already (removed and added again, or added meanwhile by someone else) is
        # that party. Two rows with the same organisation are still refused (the formset).
        pass

    def has_changed(self):
        return super().has_changed() or self.signatories.has_changed()


class BasePartyFormSet(RowFormSet):
    row_key = "organisation"

    def get_form_kwargs(self, index):
        if not hasattr(self, "organisation_names"):
            self.organisation_names = self._organisation_names()
        return {**super().get_form_kwargs(index), "organisation_names": self.organisation_names}

    def _organisation_names(self) -> dict[str, str]:
        """The names of the organisations the rows show (saved or posted), in one query."""
        ids = {str(party.organisation_id) for party in self.get_queryset()}
        if self.is_bound:
            ids |= {
                value
                for key, value in self.data.items()
                if key.startswith(f"{self.prefix}-") and key.endswith("-organisation")
            }
        numbers = [pk for pk in ids if str(pk).isdigit()]
        if not numbers:
            return {}
        # Only the field's choices: a posted id of another kind shows as nothing chosen.
        choices = self.form.base_fields["organisation"].queryset.filter(pk__in=numbers)
        return {str(pk): name for pk, name in choices.values_list("pk", "name")}

    def nested_formset(self, index, instance):
        return SignatoryFormSet(instance=instance, prefix=f"{self.add_prefix(index)}-signatories")

    def is_valid(self):
        valid = super().is_valid()
        return all([valid, *(form.signatories.is_valid() for form in self.kept_forms())])

    def total_error_count(self):
        nested = sum(form.signatories.total_error_count() for form in self.kept_forms())
        return super().total_error_count() + nested

    def parties(self) -> list[PartyInput]:
        return [
            PartyInput(
                organisation=form.cleaned_data["organisation"],
                signatories=form.signatories.rows(),
            )
            for form in self.kept_forms()
        ]


PartyFormSet = forms.inlineformset_factory(
    Agreement,
    AgreementParty,
    form=PartyForm,
    formset=BasePartyFormSet,
    extra=0,
    min_num=2,
    validate_min=True,
    can_delete=True,
)


class GoalForm(RowForm):
    class Meta:
        model = Goal
        fields = ["text", "target", "measure", "reached_manual"]
        help_texts = {
            "reached_manual": _("Used only when progress is typed in."),
        }


GoalFormSet = forms.inlineformset_factory(
    Agreement, Goal, form=GoalForm, formset=RowFormSet, extra=1, can_delete=True
)


class ActivityForm(PickerForm, forms.ModelForm):
    prefix = "activity"  # the agreement page holds several forms: keep their ids apart
    kind = forms.ChoiceField(label=_("Kind"), choices=Activity.Kind.choices)

    class Meta:
        model = Activity
        fields = ["kind", "title", "due_date", "responsible", "notes"]
        widgets = {"due_date": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    pickers = {
        "responsible": Picker(
            search_label=_("Find who is responsible"),
            help_text=_("Type part of the name or e-mail; the matches appear in the list below."),
            no_match=_("Nobody matches"),
            matching=selectors.people_matching,
        )
    }

    def __init__(self, *args, agreement: Agreement, **kwargs):
        self.agreement = agreement
        super().__init__(*args, **kwargs)
        # The adviser, or someone from one of the parties.
        self.fields["responsible"].queryset = User.objects.filter(
            Q(memberships__organisation__in=agreement.parties.values("organisation"))
            | Q(pk=agreement.responsible_adviser_id),
            is_active=True,
        ).distinct()
        chosen = self.initial.get("responsible")
        if isinstance(chosen, User) and self._may_be_responsible(chosen):
            field = self.fields["responsible"]
            field.widget.labels[str(chosen.pk)] = field.label_from_instance(chosen)
        elif isinstance(chosen, User):
            # Not among the choices: offered, the picker would read the database to find so.
            self.initial = {k: v for k, v in self.initial.items() if k != "responsible"}

    def _may_be_responsible(self, user) -> bool:
        """The queryset's rule, answered from what the agreement page has loaded (its parties,
        the user's memberships), so offering the user themselves costs no query."""
        parties = {party.organisation_id for party in self.agreement.parties.all()}
        own = {membership.organisation_id for membership in access.memberships_of(user)}
        return user.is_active and (
            user.pk == self.agreement.responsible_adviser_id or bool(parties & own)
        )

    def picker_url(self, name) -> str:
        return reverse(
            "partnerships:activity_picker_options", args=[self.agreement.reference, name]
        )


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


class OrganisationForm(OpenedAtForm, forms.ModelForm):
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


class ContactForm(RowForm):
    class Meta:
        model = ContactPerson
        fields = ["name", "title", "email", "phone"]


ContactFormSet = forms.inlineformset_factory(
    Organisation, ContactPerson, form=ContactForm, formset=RowFormSet, extra=1, can_delete=True
)


# --- Re-showing a form: a row added, or a stale form -------------------------------------


def drafts(*forms_and_formsets):
    """Mark forms that are still being filled in ("Add a party" pressed): they show what was
    typed and no errors yet, since the user has not sent them. The field template asks
    ``form.draft``; nothing of the form's validation is touched."""
    for item in forms_and_formsets:
        if isinstance(item, forms.BaseFormSet):
            item.draft = True
            drafts(*item.forms)
        else:
            item.draft = True
            if signatories := getattr(item, "signatories", None):
                drafts(signatories)


def _row_values(formset, obj) -> dict[str, list[str]]:
    """A saved row as posted data, for a row someone else added to a stale form."""
    form = formset.form(instance=obj)
    values = {"id": [str(obj.pk)]}
    for name in form._meta.fields:
        if name == formset.fk.name:
            continue
        value = form[name].value()
        values[name] = [] if value is None else [str(value)]
    return values


def rows_rebased(data: dict[str, list[str]], formset) -> dict[str, list[str]]:
    """The posted rows of ``formset`` (built for the parent as saved now), renumbered so its
    model formset accepts them: rows still saved first, then rows someone else added
    meanwhile (so they are not deleted unseen), then the user's new rows, including rows
    whose saved row was deleted meanwhile (their id dropped). A model formset would
    otherwise refuse a gone id with a misleading "This field is required"."""
    prefix = formset.prefix
    saved = {str(obj.pk): obj for obj in formset.get_queryset()}
    try:
        total = min(int(data.get(f"{prefix}-TOTAL_FORMS", ["0"])[0]), formset.absolute_max)
    except ValueError:
        total = 0
    posted = []
    for index in range(total):
        start = f"{prefix}-{index}-"
        posted.append({k.removeprefix(start): v for k, v in data.items() if k.startswith(start)})
    kept = [row for row in posted if (row.get("id") or [""])[0] in saved]
    mentioned = {row["id"][0] for row in kept}
    if key := formset.row_key:
        # A new row for what is saved meanwhile (a party both added) is that saved row.
        unmentioned = {
            tuple(_row_values(formset, obj)[key]): pk
            for pk, obj in saved.items()
            if pk not in mentioned
        }
        for row in posted:
            if row not in kept and (pk := unmentioned.pop(tuple(row.get(key, [])), None)):
                row["id"] = [pk]
                kept.append(row)
                mentioned.add(pk)
    added = [_row_values(formset, obj) for pk, obj in saved.items() if pk not in mentioned]
    new = [{**row, "id": [""]} for row in posted if row not in kept]
    rebased = {k: v for k, v in data.items() if not k.startswith(f"{prefix}-")}
    for index, row in enumerate(kept + added + new):
        rebased.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
        instance = saved.get(row["id"][0]) or formset.model()
        if nested := formset.nested_formset(index, instance):
            rebased = rows_rebased(rebased, nested)
    management = {
        "TOTAL_FORMS": len(kept + added + new),
        "INITIAL_FORMS": len(kept + added),
        "MIN_NUM_FORMS": formset.min_num,
        "MAX_NUM_FORMS": formset.max_num,
    }
    rebased.update({f"{prefix}-{key}": [str(value)] for key, value in management.items()})
    return rebased
