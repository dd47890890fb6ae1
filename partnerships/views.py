"""Pages of the adviser's workspace. Thin: forms check input, services decide, selectors read."""

import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from portal.accounts import access
from portal.accounts.audit import audit_record
from portal.accounts.models import AuditAction
from portal.exceptions import BusinessRuleError, StaleEditError
from portal.exports import XLSX_TYPE, export_filename
from portal.news.drafts import redirect_after_draft
from portal.news.selectors import articles_mentioning
from portal.pickers import FIND, picker_options

from . import exports, selectors, services
from . import search as text_search
from .filters import AgreementFilter, OrganisationFilter
from .forms import (
    ActivityForm,
    AgreementForm,
    ContactFormSet,
    DocumentForm,
    GoalFormSet,
    OrganisationForm,
    PartyForm,
    PartyFormSet,
    SignatoryFormSet,
    drafts,
    rows_rebased,
)
from .models import Activity, AgreementDocument

PAGE_SIZE = 25
HISTORY_PAGE_SIZE = 20


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
        {
            "form": filterset.form,
            "page": page,
            "can_register": access.can_register(request.user),
            "searched": bool(filterset.is_valid() and filterset.form.cleaned_data.get("q")),
            "search_cap": text_search.CAP,
        },
    )


@login_required
def agreement_filter_picker_options(request, field):
    """The matches of a search in the agreement list's filters (portal.pickers), for
    whoever sees the list."""
    _require_workspace(request.user)
    return picker_options(request, _agreement_filter(request).form, field)


@login_required
def agreement_export(request):
    _require_workspace(request.user)
    filterset = _agreement_filter(request)
    if not filterset.is_valid():
        raise Http404
    xlsx = request.GET.get("format") == "xlsx"
    if xlsx:
        # CSV streams (100,000 rows in seconds); an Excel file is whole before it is sent.
        count = filterset.qs.count()
        if count > settings.EXPORT_IN_BACKGROUND_ROWS:
            return _export_in_background(request, count)
    audit_record(
        action=AuditAction.EXPORT,
        request=request,
        target="agreements",
        detail={"format": "xlsx" if xlsx else "csv", "filters": request.GET.urlencode()},
    )
    return exports.agreements_xlsx(filterset.qs) if xlsx else exports.agreements_csv(filterset.qs)


def _export_in_background(request, count: int):
    """Too big to write while the user waits: a worker prepares it and mails a link."""
    filters = request.GET.copy()
    filters.pop("format", None)
    export = exports.agreement_export_request(
        user=request.user,
        filters=filters.urlencode(),
        language=translation.get_language(),
        rows=count,
    )
    audit_record(
        action=AuditAction.EXPORT,
        request=request,
        target="agreements",
        detail={
            "format": "xlsx",
            "filters": request.GET.urlencode(),
            "rows": count,
            "prepared": str(export.pk),
        },
    )
    messages.info(
        request,
        ngettext(
            "We are preparing your Excel export of %(count)s agreement. We will e-mail a link "
            "to %(email)s when it is ready, usually within a few minutes.",
            "We are preparing your Excel export of %(count)s agreements. We will e-mail a link "
            "to %(email)s when it is ready, usually within a few minutes.",
            count,
        )
        % {"count": number_format(count, force_grouping=True), "email": request.user.email},
    )
    back = reverse("partnerships:agreement_list")
    return redirect(f"{back}?{filters.urlencode()}" if filters else back)


@login_required
def agreement_export_download(request, pk):
    """A prepared export, for the user who asked for it only (404 for anyone else)."""
    export = exports.agreement_export_get(request.user, pk)
    audit_record(
        action=AuditAction.EXPORT_DOWNLOAD,
        request=request,
        target="agreements",
        detail={"prepared": str(export.pk), "filters": export.filters, "rows": export.rows},
    )
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=export_filename("avtaler", "xlsx", timezone.localdate(export.created_at)),
        content_type=XLSX_TYPE,
    )


# --- Edit forms -----------------------------------------------------------------------------
#
# Each edit form is opened at a version of what it edits and carries what it showed then. A
# save from an older version is refused by the service (StaleEditError); the form comes back
# with everything typed, what changed meanwhile, and the new version, so sending it again
# (after reading) saves. "Add a row" re-shows the form with one more row (htmx fetches just
# the row), without judging the rest yet.

# Labels of the rows in "what changed" (the fields are labelled by their form).
ROW_LABELS = {
    "parties": _l("Parties and signatories"),
    "goals": _l("Goals"),
    "contacts": _l("Contact persons"),
}
ADD_ROW = {"add_party": "parties", "add_goal": "goals", "add_contact": "contacts"}
ROW_FORMSETS = {"parties": PartyFormSet, "goals": GoalFormSet, "contacts": ContactFormSet}
SIGNATORIES = re.compile(r"parties-\d{1,4}-signatories")


def _row_formset(prefix):
    """An empty formset of the rows under prefix (a party's signatories included), or None."""
    if prefix in ROW_FORMSETS:
        return ROW_FORMSETS[prefix](prefix=prefix)
    if SIGNATORIES.fullmatch(prefix):
        return SignatoryFormSet(prefix=prefix)
    return None


def _posted(request):
    """The posted data as a plain dict of lists, and the formset a row is to be added to
    (its count raised, the new row's own formset of signatories given its count)."""
    data = {key: request.POST.getlist(key) for key in request.POST}
    adding = next((prefix for name, prefix in ADD_ROW.items() if name in data), None)
    if "add_signatory" in data:  # its value names the party's formset of signatories
        adding = data["add_signatory"][0]
    formset = _row_formset(adding) if adding else None
    if formset is None:
        adding = None
    if adding:
        try:
            total = int(data.get(f"{adding}-TOTAL_FORMS", ["0"])[0])
        except ValueError:
            total = 0
        data[f"{adding}-TOTAL_FORMS"] = [str(total + 1)]
        if nested := formset.nested_formset(total, formset.model()):
            management = nested.management_form
            data |= {management.add_prefix(k): [str(v)] for k, v in management.initial.items()}
    return data, adding


def _query_dict(values: dict[str, list[str]]) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, items in values.items():
        data.setlist(key, items)
    return data


def _agreement_forms(request, agreement, data=None):
    # A new agreement starts with its registrar as the responsible adviser.
    initial = {} if agreement else {"responsible_adviser": request.user.pk}
    form = AgreementForm(data, instance=agreement, initial=initial, user=request.user)
    if agreement and data is None:
        form.open_at(agreement.version, selectors.agreement_snapshot(agreement))
    if agreement and not access.can_hand_over(request.user, agreement):
        form.fields["responsible_adviser"].disabled = True
    parties = PartyFormSet(
        data, instance=agreement, prefix="parties", form_kwargs={"user": request.user}
    )
    goals = GoalFormSet(data, instance=agreement, prefix="goals")
    return form, parties, goals


def _stale(request, error, form, rebuild):
    """Re-show a stale form at the version saved now, with what changed since it was opened.

    Everything typed is kept. A field the user left as it was takes the value saved
    meanwhile, so sending the form again does not undo someone else's change unseen; rows
    someone else added are put in, rows they deleted stay as the user's new rows.
    """
    fresh_form, *fresh_formsets = rebuild(None)  # the form as it opens now
    values = {key: request.POST.getlist(key) for key in request.POST}
    for formset in fresh_formsets:
        values = rows_rebased(values, formset)
    opened, now = form.posted_opened(), fresh_form.opened_now()
    for name, before in opened.get("values", {}).items():
        if values.get(form.add_prefix(name), []) == before:
            values[form.add_prefix(name)] = now["values"].get(name, [])
    for name in ["version", "opened"]:
        values[form.add_prefix(name)] = [str(fresh_form.initial[name])]
    forms_again = rebuild(_query_dict(values))
    drafts(*forms_again)
    labels = {name: field.label for name, field in form.fields.items()} | ROW_LABELS
    stale = {
        "saved_by": error.saved_by,
        "changes": selectors.changes_between(opened.get("shown", {}), now["shown"], labels),
    }
    return forms_again, stale


def _agreement_save(request, reference=None):
    agreement = selectors.agreement_for_edit(request.user, reference) if reference else None
    if agreement and not access.can_change(request.user, agreement):
        raise PermissionDenied
    data, adding = _posted(request) if request.method == "POST" else (None, None)
    form, parties, goals = _agreement_forms(request, agreement, _query_dict(data) if data else None)
    rule_errors, stale = {}, None
    # "Add a row", or a picker's Search sent without JavaScript: the form comes back as typed.
    adding = adding or bool(data and FIND in data)
    if adding:
        drafts(form, parties, goals)
    elif data is not None:
        try:
            if agreement is not None:
                services.edit_version_check(agreement, form.posted_version())
            if all([form.is_valid(), parties.is_valid(), goals.is_valid()]):
                if agreement is None:
                    agreement = services.agreement_create(
                        user=request.user,
                        data=form.values(),
                        parties=parties.parties(),
                        goals=goals.rows(),
                    )
                    messages.success(request, _("The agreement %s is registered.") % agreement)
                else:
                    services.agreement_update(
                        agreement=agreement,
                        user=request.user,
                        data=form.values(),
                        parties=parties.parties(),
                        goals=goals.rows(),
                        version=form.posted_version(),
                    )
                    messages.success(request, _("The changes are saved."))
                return redirect(agreement)
        except StaleEditError as error:
            fresh = selectors.agreement_for_edit(request.user, reference)
            (form, parties, goals), stale = _stale(
                request,
                error,
                form,
                lambda data: _agreement_forms(request, fresh, data),
            )
            agreement = fresh
        except BusinessRuleError as error:
            if error.field in form.fields:
                form.add_error(error.field, error.message)
            else:
                rule_errors[error.field] = error.message
    return render(
        request,
        "partnerships/agreement_form.html",
        {
            "form": form,
            "parties": parties,
            "goals": goals,
            "agreement": agreement,
            "rule_errors": rule_errors,
            "stale": stale,
            "adding": adding,
        },
        status=409 if stale else 200,
    )


@login_required
def agreement_create(request):
    if not access.can_register(request.user):
        raise PermissionDenied
    return _agreement_save(request)


@login_required
def agreement_edit(request, reference):
    return _agreement_save(request, reference)


@login_required
def form_row(request, prefix):
    """One more empty row of an edit form's formset, for htmx to append ("Add a party"),
    with the formset's count of rows raised (out of band)."""
    formset = _row_formset(prefix)
    if not access.can_register(request.user) or formset is None:
        raise Http404
    try:
        index = int(request.GET.get(f"{prefix}-TOTAL_FORMS", ""))
    except ValueError:
        raise Http404 from None
    # Django's way for rows added in the browser: the empty form with its index filled in.
    html = render_to_string(
        "partnerships/includes/_form_row.html", {"row": formset.empty_form}, request
    )
    return HttpResponse(
        html.replace("__prefix__", str(index))
        + format_html(
            '<input type="hidden" name="{0}-TOTAL_FORMS" value="{1}" id="id_{0}-TOTAL_FORMS"'
            ' hx-swap-oob="true">',
            prefix,
            index + 1,
        )
    )


PICKER_FORMS = {"agreement": AgreementForm, "party": PartyForm}


@login_required
def form_picker_options(request, form, field):
    """The matches of a search in the agreement form's pickers (portal.pickers), for
    those who register agreements."""
    if form not in PICKER_FORMS or not access.can_register(request.user):
        raise Http404
    return picker_options(request, PICKER_FORMS[form](user=request.user), field)


@login_required
def activity_picker_options(request, reference, field):
    """The matches of a search in the activity form of an agreement the user may see."""
    _require_workspace(request.user)
    agreement = selectors.agreement_get(request.user, reference)
    return picker_options(request, ActivityForm(agreement=agreement, user=request.user), field)


def _detail_context(request, agreement, **forms):
    user = request.user
    return {
        "agreement": agreement,
        "goals": selectors.goals_with_progress(agreement),
        "timeline": selectors.agreement_timeline(agreement, per_page=HISTORY_PAGE_SIZE),
        **selectors.agreement_neighbours(user, agreement),
        "transitions": services.transitions_available(user, agreement),
        "can_renew": services.renew_allowed(user, agreement),
        "can_edit": access.can_change(user, agreement),
        "activity_form": ActivityForm(
            agreement=agreement, initial={"responsible": user}, user=user
        ),
        "document_form": DocumentForm(),
        "news": articles_mentioning(agreement)[:10],
        "can_start_news_draft": access.can_start_news_draft(user) and agreement.is_signed,
        "uses_workspace": access.uses_workspace(user),
        **forms,
    }


@login_required
def agreement_detail(request, reference):
    agreement = selectors.agreement_get(request.user, reference)
    return render(
        request, "partnerships/agreement_detail.html", _detail_context(request, agreement)
    )


@login_required
def agreement_history(request, reference):
    """Every change to the agreement, a page at a time (the agreement page shows the newest)."""
    agreement = selectors.agreement_get(request.user, reference)
    timeline = selectors.agreement_timeline(
        agreement, request.GET.get("page"), per_page=HISTORY_PAGE_SIZE
    )
    return render(
        request,
        "partnerships/agreement_history.html",
        {"agreement": agreement, "timeline": timeline},
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
    form = ActivityForm(request.POST, agreement=agreement, user=request.user)
    if FIND in request.POST:  # the picker's Search, without JavaScript
        drafts(form)
        context = _detail_context(request, agreement, activity_form=form)
        return render(request, "partnerships/agreement_detail.html", context)
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
    audit_record(
        action=AuditAction.DOCUMENT_DOWNLOAD,
        request=request,
        target=f"{agreement.reference}: {document}",
        detail={"agreement": agreement.reference, "document": document.pk},
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
            **selectors.organisation_related(
                request.user, organisation, request.GET.get("page"), PAGE_SIZE
            ),
        },
    )


def _organisation_forms(organisation, data=None):
    form = OrganisationForm(data, instance=organisation)
    if organisation and data is None:
        form.open_at(organisation.version, selectors.organisation_snapshot(organisation))
    contacts = ContactFormSet(data, instance=organisation, prefix="contacts")
    return form, contacts


def _organisation_save(request, pk=None):
    from portal.accounts.models import Organisation

    organisation = selectors.organisation_for_edit(request.user, pk) if pk else None
    allowed = (
        access.can_change(request.user, organisation)
        if organisation
        else access.can_register(request.user)
    )
    if not allowed:
        raise PermissionDenied
    data, adding = _posted(request) if request.method == "POST" else (None, None)
    form, contacts = _organisation_forms(organisation, _query_dict(data) if data else None)
    stale = None
    if adding:
        drafts(form, contacts)
    elif data is not None:
        try:
            if organisation is not None:
                services.edit_version_check(organisation, form.posted_version())
            if all([form.is_valid(), contacts.is_valid()]):
                organisation = services.organisation_save(
                    organisation=form.save(commit=False),
                    user=request.user,
                    contacts=contacts.rows(),
                    version=form.posted_version() if organisation else None,
                )
                messages.success(request, _("%s is saved.") % organisation)
                return redirect(organisation)
        except StaleEditError as error:
            fresh = selectors.organisation_for_edit(request.user, pk)
            (form, contacts), stale = _stale(
                request,
                error,
                form,
                lambda data: _organisation_forms(fresh, data),
            )
            organisation = fresh
        except BusinessRuleError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
    return render(
        request,
        "partnerships/organisation_form.html",
        {
            "form": form,
            "contacts": contacts,
            "organisation": organisation,
            "kinds": Organisation.Kind,
            "stale": stale,
            "adding": adding,
        },
        status=409 if stale else 200,
    )


@login_required
def organisation_create(request):
    if not access.can_register(request.user):
        raise PermissionDenied
    return _organisation_save(request)


@login_required
def organisation_edit(request, pk):
    return _organisation_save(request, pk)


# --- Search ---------------------------------------------------------------------------------


@login_required
def search(request):
    _require_workspace(request.user)
    query = request.GET.get("q", "").strip()
    agreements = organisations = []
    if query:
        # The words in use near the query's, looked up once for both lists.
        near = text_search.near_words(text_search.terms_of(query))
        agreements = list(selectors.agreements_searched(request.user, query, near=near)[:20])
        organisations = list(selectors.organisations_searched(request.user, query, near=near)[:20])
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
