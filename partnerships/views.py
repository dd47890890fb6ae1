"""Pages of the adviser's workspace. Thin: forms check input, services decide, selectors read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.forms import BaseFormSet
from django.forms.utils import ErrorDict
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from portal.accounts import access
from portal.exceptions import BusinessRuleError
from portal.news.drafts import redirect_after_draft
from portal.news.selectors import articles_mentioning

from . import exports, selectors, services
from .filters import AgreementFilter, OrganisationFilter
from .forms import (
    ActivityForm,
    AgreementForm,
    ContactFormSet,
    DocumentForm,
    GoalFormSet,
    OrganisationForm,
    PartyFormSet,
    party_initial,
)
from .models import Activity, AgreementDocument

PAGE_SIZE = 25


def _require_workspace(user):
    if not access.uses_workspace(user):
        raise PermissionDenied


def _agreement_filter(request) -> AgreementFilter:
    return AgreementFilter(
        request.GET, queryset=selectors.agreements_visible(request.user), request=request
    )


def _live(request) -> bool:
    """An htmx request for part of a page; a history restore wants the whole page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def _list_response(request, template, partial, context):
    """The whole list page, or only its results when htmx asks as the user filters."""
    response = render(request, partial if _live(request) else template, context)
    # The same address answers with a page or a fragment: caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def agreement_list(request):
    _require_workspace(request.user)
    filterset = _agreement_filter(request)
    # A value the form refuses (an unknown status) shows the error and no agreements.
    agreements = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    page = Paginator(agreements, PAGE_SIZE).get_page(request.GET.get("page"))
    return _list_response(
        request,
        "partnerships/agreement_list.html",
        "partnerships/includes/_agreement_results.html",
        {"form": filterset.form, "page": page, "can_register": access.can_register(request.user)},
    )


@login_required
def agreement_export(request):
    _require_workspace(request.user)
    filterset = _agreement_filter(request)
    if not filterset.is_valid():
        raise Http404
    if request.GET.get("format") == "xlsx":
        return exports.agreements_xlsx(filterset.qs)
    return exports.agreements_csv(filterset.qs)


def _agreement_forms(request, agreement=None):
    data = request.POST if request.method == "POST" else None
    initial_parties = party_initial(agreement) if agreement else None
    initial_goals = (
        [
            {
                "id": g.pk,
                "text": g.text,
                "target": g.target,
                "measure": g.measure,
                "reached_manual": g.reached_manual,
            }
            for g in agreement.goals.all()
        ]
        if agreement
        else None
    )
    # A new agreement starts with its registrar as the responsible adviser.
    initial = {} if agreement else {"responsible_adviser": request.user.pk}
    form = AgreementForm(data, instance=agreement, initial=initial)
    if agreement and not access.can_hand_over(request.user, agreement):
        form.fields["responsible_adviser"].disabled = True
    parties = PartyFormSet(data, prefix="parties", initial=initial_parties)
    goals = GoalFormSet(data, prefix="goals", initial=initial_goals)
    if data and "add_party" in data:
        # "Add a party" re-renders the form with one more row and keeps everything typed,
        # without judging a form the user has not sent yet.
        parties = PartyFormSet(
            _with_extra_row(data, "parties"), prefix="parties", initial=initial_parties
        )
        _hide_errors(form, parties, goals)
    return form, parties, goals


def _hide_errors(*forms_and_formsets):
    for item in forms_and_formsets:
        if isinstance(item, BaseFormSet):
            item._errors, item._non_form_errors = [], item.error_class()
            for form in item.forms:
                form._errors = ErrorDict()
        else:
            item._errors = ErrorDict()


def _with_extra_row(data, prefix):
    data = data.copy()
    data[f"{prefix}-TOTAL_FORMS"] = str(int(data.get(f"{prefix}-TOTAL_FORMS", 0)) + 1)
    return data


def _agreement_save(request, agreement=None):
    form, parties, goals = _agreement_forms(request, agreement)
    submitted = request.method == "POST" and "add_party" not in request.POST
    if submitted and form.is_valid() and parties.is_valid() and goals.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if agreement is None:
                agreement = services.agreement_create(
                    user=request.user, data=data, parties=parties.parties(), goals=goals.rows()
                )
                messages.success(request, _("The agreement %s is registered.") % agreement)
            else:
                services.agreement_update(
                    agreement=agreement,
                    user=request.user,
                    data=data,
                    parties=parties.parties(),
                    goals=goals.rows(),
                )
                messages.success(request, _("The changes are saved."))
            return redirect(agreement)
        except BusinessRuleError as error:
            if error.field in form.fields:
                form.add_error(error.field, error.message)
            else:
                parties._non_form_errors = parties.error_class([error.message])
    return render(
        request,
        "partnerships/agreement_form.html",
        {"form": form, "parties": parties, "goals": goals, "agreement": agreement},
    )


@login_required
def agreement_create(request):
    if not access.can_register(request.user):
        raise PermissionDenied
    return _agreement_save(request)


@login_required
def agreement_edit(request, reference):
    agreement = selectors.agreement_get(request.user, reference)
    if not access.can_change(request.user, agreement):
        raise PermissionDenied
    return _agreement_save(request, agreement)


def _detail_context(request, agreement, **forms):
    user = request.user
    return {
        "agreement": agreement,
        "goals": selectors.goals_with_progress(agreement),
        "timeline": selectors.agreement_timeline(agreement),
        **selectors.agreement_neighbours(user, agreement),
        "transitions": services.transitions_available(user, agreement),
        "can_renew": services.renew_allowed(user, agreement),
        "can_edit": access.can_change(user, agreement),
        "activity_form": ActivityForm(agreement=agreement, initial={"responsible": user}),
        "document_form": DocumentForm(),
        "news": articles_mentioning(agreement)[:10],
        "can_start_news_draft": access.can_start_news_draft(user) and agreement.is_signed,
        **forms,
    }


@login_required
def agreement_detail(request, reference):
    agreement = selectors.agreement_get(request.user, reference)
    return render(
        request, "partnerships/agreement_detail.html", _detail_context(request, agreement)
    )


@login_required
@require_POST
def agreement_transition(request, reference, name):
    agreement = selectors.agreement_get(request.user, reference)
    try:
        agreement = services.agreement_transition(agreement=agreement, user=request.user, name=name)
        messages.success(
            request, _("The status is now: %s.") % agreement.get_status_display().lower()
        )
    except BusinessRuleError as error:
        messages.error(request, error.message)
    return redirect(agreement)


@login_required
@require_POST
def agreement_renew(request, reference):
    agreement = selectors.agreement_get(request.user, reference)
    try:
        successor = services.agreement_renew(agreement=agreement, user=request.user)
    except BusinessRuleError as error:
        messages.error(request, error.message)
        return redirect(agreement)
    messages.success(
        request,
        _("%(new)s is a draft that replaces %(old)s.") % {"new": successor, "old": agreement},
    )
    return redirect(successor)


@login_required
@require_POST
def agreement_news_draft(request, reference):
    agreement = selectors.agreement_get(request.user, reference)
    try:
        article = services.agreement_news_draft(agreement=agreement, user=request.user)
    except BusinessRuleError as error:
        messages.error(request, error.message)
        return redirect(agreement)
    return redirect_after_draft(request, article, agreement)


def _detail_with_errors(request, agreement, **forms):
    """The agreement page again, with the failed form and everything the user typed."""
    context = _detail_context(request, agreement, **forms)
    return render(request, "partnerships/agreement_detail.html", context, status=400)


@login_required
@require_POST
def activity_create(request, reference):
    agreement = selectors.agreement_get(request.user, reference)
    form = ActivityForm(request.POST, agreement=agreement)
    if form.is_valid():
        try:
            services.activity_create(agreement=agreement, user=request.user, data=form.cleaned_data)
            messages.success(request, _("The activity is added."))
            return redirect(f"{agreement.get_absolute_url()}#activities")
        except BusinessRuleError as error:
            form.add_error(None, error.message)
    return _detail_with_errors(request, agreement, activity_form=form)


@login_required
@require_POST
def activity_done(request, reference, pk):
    agreement = selectors.agreement_get(request.user, reference)
    activity = get_object_or_404(
        access.visible(
            request.user, Activity.objects.filter(agreement=agreement).select_related("responsible")
        ),
        pk=pk,
    )
    error = None
    try:
        activity = services.activity_mark_done(
            activity=activity, user=request.user, done=request.POST.get("done") != "0"
        )
    except BusinessRuleError as refused:
        error = refused.message
    if _live(request):
        # htmx swaps only this activity's row; the rest of the page stays as it is.
        return render(
            request,
            "partnerships/includes/_activity_row.html",
            {"agreement": agreement, "activity": activity, "error": error},
        )
    if error:
        messages.error(request, error)
    return redirect(f"{agreement.get_absolute_url()}#activities")


@login_required
@require_POST
def document_upload(request, reference):
    agreement = selectors.agreement_get(request.user, reference)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.document_upload(
                agreement=agreement,
                user=request.user,
                title=form.cleaned_data["title"],
                kind=form.cleaned_data["kind"],
                file=form.cleaned_data["file"],
            )
            messages.success(request, _("The document is uploaded."))
            return redirect(f"{agreement.get_absolute_url()}#documents")
        except BusinessRuleError as error:
            form.add_error(None, error.message)
    return _detail_with_errors(request, agreement, document_form=form)


@never_cache  # no copy of an agreement document stays in any cache, the browser's included
@login_required
def document_download(request, reference, pk):
    """Documents are served only to people who may see the agreement; others get 404."""
    agreement = selectors.agreement_get(request.user, reference)
    document = get_object_or_404(
        access.visible(request.user, AgreementDocument.objects.filter(agreement=agreement)), pk=pk
    )
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.file.name.rsplit("/", 1)[-1],
        content_type=document.content_type,
    )


# --- Organisations --------------------------------------------------------------------------


@login_required
def organisation_list(request):
    _require_workspace(request.user)
    filterset = OrganisationFilter(
        request.GET, queryset=selectors.organisations_visible(request.user), request=request
    )
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return _list_response(
        request,
        "partnerships/organisation_list.html",
        "partnerships/includes/_organisation_results.html",
        {
            "form": filterset.form,
            "page": page,
            "can_register": access.can_register(request.user),
        },
    )


@login_required
def organisation_detail(request, pk):
    _require_workspace(request.user)
    organisation = selectors.organisation_get(request.user, pk)
    return render(
        request,
        "partnerships/organisation_detail.html",
        {
            "organisation": organisation,
            "can_edit": access.can_change(request.user, organisation),
            **selectors.organisation_related(request.user, organisation),
        },
    )


def _organisation_save(request, organisation=None):
    from portal.accounts.models import Organisation

    data = request.POST if request.method == "POST" else None
    form = OrganisationForm(data, instance=organisation)
    contacts = ContactFormSet(
        data,
        prefix="contacts",
        initial=[
            {"id": c.pk, "name": c.name, "title": c.title, "email": c.email, "phone": c.phone}
            for c in organisation.contacts.all()
        ]
        if organisation
        else None,
    )
    if data is not None and form.is_valid() and contacts.is_valid():
        try:
            organisation = services.organisation_save(
                organisation=form.save(commit=False),
                user=request.user,
                contacts=contacts.rows(),
            )
            messages.success(request, _("%s is saved.") % organisation)
            return redirect(organisation)
        except BusinessRuleError as error:
            form.add_error(error.field, error.message)
    return render(
        request,
        "partnerships/organisation_form.html",
        {
            "form": form,
            "contacts": contacts,
            "organisation": organisation,
            "kinds": Organisation.Kind,
        },
    )


@login_required
def organisation_create(request):
    if not access.can_register(request.user):
        raise PermissionDenied
    return _organisation_save(request)


@login_required
def organisation_edit(request, pk):
    organisation = selectors.organisation_get(request.user, pk)
    if not access.can_change(request.user, organisation):
        raise PermissionDenied
    return _organisation_save(request, organisation)


# --- Search ---------------------------------------------------------------------------------


@login_required
def search(request):
    _require_workspace(request.user)
    query = request.GET.get("q", "").strip()
    agreements = organisations = []
    if query:
        agreements = list(selectors.agreements_searched(request.user, query)[:20])
        organisations = list(selectors.organisations_searched(request.user, query)[:20])
    return render(
        request,
        "partnerships/search.html",
        {
            "query": query,
            "agreements": agreements,
            "organisations": organisations,
            "list_url": reverse("partnerships:agreement_list"),
        },
    )
