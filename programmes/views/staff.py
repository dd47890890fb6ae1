"""The organisers' side: NAV advisers and the programme's partner staff run it here."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partnerships.models import Agreement
from portal.accounts import access
from portal.accounts.audit import audit_record
from portal.accounts.models import AuditAction, Organisation, Role
from portal.exceptions import BusinessRuleError
from portal.news.drafts import redirect_after_draft
from portal.pickers import FIND, picker_options

from .. import exports, selectors, services
from ..forms import (
    DecisionForm,
    ProgrammeForm,
    ProgrammeListForm,
    SessionForm,
    SessionResultForm,
    SignUpListForm,
)
from ..models import Programme, Session, SignUp

PER_PAGE = 25


def _changeable(request, slug, *related) -> Programme:
    """A programme the user may run, or 404: a guessed address reveals nothing."""
    return get_object_or_404(
        access.changeable(request.user, Programme.objects.prefetch_related(*related)), slug=slug
    )


@login_required
def programme_list(request):
    if not access.can_create_programme(request.user):
        raise PermissionDenied
    search = ProgrammeListForm(request.GET)
    programmes = selectors.programmes_changeable(request.user, title=search.title())
    page = Paginator(programmes, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "programmes/manage_list.html",
        {"page": page, "search": search, "searched": bool(search.title())},
    )


def _programme_form(request, programme=None, data=None):
    # A new programme starts with the user's own NAV unit or partner as its organiser.
    own = [
        pk
        for pk, role in access.roles_of(request.user).items()
        if role in (Role.NAV_ADVISER, Role.PARTNER_STAFF)
    ]
    return ProgrammeForm(
        data,
        instance=programme,
        initial={} if programme else {"organisers": own},
        user=request.user,
        organisers=Organisation.objects.filter(
            kind__in=[Organisation.Kind.NAV_UNIT, Organisation.Kind.PARTNER]
        ),
        # What the user may see, and what the programme has already: editing never drops a
        # co-organiser's agreement the user cannot see.
        agreements=(
            access.visible(request.user, Agreement.objects.signed())
            | (programme.agreements.all() if programme else Agreement.objects.none())
        )
        .distinct()
        .order_by("reference_year", "reference_number"),
    )


def _programme_save(request, programme=None):
    form = _programme_form(request, programme, request.POST or None)
    # A picker's Search sent without JavaScript: the form comes back as typed, not judged.
    finding = FIND in request.POST
    if finding:
        form.draft = True
    elif request.method == "POST" and form.is_valid():
        data = {
            name: form.cleaned_data[name]
            for name in form.Meta.fields
            if name not in ("organisers", "agreements")
        }
        try:
            if programme is None:
                programme = services.programme_create(
                    user=request.user,
                    data=data,
                    organisers=form.cleaned_data["organisers"],
                    agreements=form.cleaned_data["agreements"],
                )
                messages.success(request, _("%(programme)s is created.") % {"programme": programme})
            else:
                services.programme_update(
                    programme=programme,
                    user=request.user,
                    data=data,
                    organisers=form.cleaned_data["organisers"],
                    agreements=form.cleaned_data["agreements"],
                )
                messages.success(request, _("The changes are saved."))
            return redirect("programmes:programme_manage", slug=programme.slug)
        except BusinessRuleError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
    return render(
        request,
        "programmes/programme_form.html",
        {"form": form, "programme": programme, "finding": finding},
        status=400 if not finding and form.errors else 200,
    )


@login_required
def programme_create(request):
    if not access.can_create_programme(request.user):
        raise PermissionDenied
    return _programme_save(request)


@login_required
def programme_edit(request, slug):
    return _programme_save(request, _changeable(request, slug, "organisers", "agreements"))


@login_required
def programme_picker(request, field, slug=None):
    """The matches of a search in the programme form's organisers or agreements
    (portal.pickers): on a new programme's form for those who may create one, on an existing
    programme's for those who may run it (404 otherwise)."""
    programme = _changeable(request, slug, "organisers", "agreements") if slug else None
    if programme is None and not access.can_create_programme(request.user):
        raise Http404
    return picker_options(request, _programme_form(request, programme), field)


@login_required
def programme_manage(request, slug):
    programme = _changeable(request, slug, "agreements")
    listed = SignUpListForm(request.GET)
    signups = selectors.programme_signups(request.user, programme, listed.filters())
    page = Paginator(signups, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "programmes/programme_manage.html",
        {
            "programme": programme,
            "sessions": selectors.sessions_with_results(programme),
            "page": page,
            "listed": listed,
            # Confirm, decline and attendance come back to this page of the list.
            "here": _list_query(request.GET),
            "over_time": selectors.signups_over_time(programme),
            "results": selectors.programme_results(programme),
            "history": selectors.programme_history(programme),
            "can_start_news_draft": access.can_start_news_draft(request.user),
        },
    )


def _session_save(request, programme, session):
    form = SessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_save(session=form.save(commit=False), user=request.user)
        except BusinessRuleError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The session is saved."))
            return redirect("programmes:programme_manage", slug=programme.slug)
    return render(
        request,
        "programmes/session_form.html",
        {"form": form, "programme": programme, "session": session if session.pk else None},
        status=400 if form.errors else 200,
    )


@login_required
def session_create(request, slug):
    programme = _changeable(request, slug)
    return _session_save(request, programme, Session(programme=programme))


@login_required
def session_edit(request, slug, pk):
    programme = _changeable(request, slug)
    return _session_save(request, programme, get_object_or_404(programme.sessions, pk=pk))


@login_required
def session_results(request, slug, pk):
    programme = _changeable(request, slug)
    session = get_object_or_404(programme.sessions.select_related("result"), pk=pk)
    instance = getattr(session, "result", None)
    form = SessionResultForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_result_save(
                session=session, user=request.user, figures=form.cleaned_data
            )
        except BusinessRuleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The results are saved."))
            return redirect("programmes:programme_manage", slug=programme.slug)
    return render(
        request,
        "programmes/session_results.html",
        {"form": form, "programme": programme, "session": session},
        status=400 if form.errors else 200,
    )


def _list_query(query) -> str:
    """The page and state filter of the sign-ups list, as a query string ("" for none)."""
    kept = {key: query[key] for key in ("page", "status") if query.get(key)}
    return f"?{urlencode(kept)}" if kept else ""


def _back_to_signups(request, programme) -> str:
    return f"{programme.get_absolute_url()}manage/{_list_query(request.GET)}#signups"


def _signup_of(request, programme, pk) -> SignUp:
    signup = selectors.programme_signups(request.user, programme).filter(pk=pk).first()
    if signup is None:
        raise Http404
    return signup


@login_required
@require_POST
def signup_decide(request, slug, pk):
    programme = _changeable(request, slug)
    signup = _signup_of(request, programme, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to confirm or decline."))
    else:
        confirm = form.cleaned_data["decision"] == "confirm"
        try:
            services.signup_decide(
                user=request.user,
                signup=signup,
                confirm=confirm,
                message=form.cleaned_data["message"],
            )
        except BusinessRuleError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                (_("%(company)s is confirmed.") if confirm else _("%(company)s is declined."))
                % {"company": signup.employer},
            )
    return redirect(_back_to_signups(request, programme))


@login_required
@require_POST
def signup_attendance(request, slug, pk):
    programme = _changeable(request, slug)
    signup = _signup_of(request, programme, pk)
    try:
        services.signup_attendance(
            user=request.user, signup=signup, attended=request.POST.get("attended") == "1"
        )
    except BusinessRuleError as error:
        messages.error(request, error.message)
    return redirect(_back_to_signups(request, programme))


@login_required
def signups_export(request, slug):
    programme = _changeable(request, slug)
    signups = selectors.programme_signups(request.user, programme)
    xlsx = request.GET.get("format") == "xlsx"
    audit_record(
        action=AuditAction.EXPORT,
        request=request,
        target=f"{programme.slug}: signups",
        detail={"format": "xlsx" if xlsx else "csv", "programme": programme.slug},
    )
    if xlsx:
        return exports.signups_xlsx(programme, signups)
    return exports.signups_csv(programme, signups)


@login_required
@require_POST
def programme_news_draft(request, slug):
    programme = selectors.programme_get(request.user, slug)
    try:
        article = services.programme_news_draft(programme=programme, user=request.user)
    except BusinessRuleError as error:
        messages.error(request, error.message)
        return redirect(programme)
    return redirect_after_draft(request, article, programme)
