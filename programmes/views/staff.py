"""The organisers' side: NAV advisers and the programme's partner staff run it here."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partnerships.models import Agreement
from portal.accounts import access
from portal.accounts.audit import audit_record
from portal.accounts.models import AuditAction, Organisation
from portal.exceptions import BusinessRuleError
from portal.news.drafts import redirect_after_draft

from .. import exports, selectors, services
from ..forms import DecisionForm, ProgrammeForm, SessionForm, SessionResultForm
from ..models import Programme, Session, SignUp


def _changeable(request, slug) -> Programme:
    """A programme the user may run, or 404: a guessed address reveals nothing."""
    return get_object_or_404(
        access.changeable(request.user, Programme.objects.all()).prefetch_related(
            "organisers", "agreements"
        ),
        slug=slug,
    )


@login_required
def programme_list(request):
    if not access.can_create_programme(request.user):
        raise PermissionDenied
    programmes = selectors.programmes_changeable(request.user)
    return render(request, "programmes/manage_list.html", {"programmes": programmes})


def _programme_form(request, programme=None):
    return ProgrammeForm(
        request.POST or None,
        instance=programme,
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
    form = _programme_form(request, programme)
    if request.method == "POST" and form.is_valid():
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
        {"form": form, "programme": programme},
        status=400 if form.errors else 200,
    )


@login_required
def programme_create(request):
    if not access.can_create_programme(request.user):
        raise PermissionDenied
    return _programme_save(request)


@login_required
def programme_edit(request, slug):
    return _programme_save(request, _changeable(request, slug))


@login_required
def programme_manage(request, slug):
    programme = _changeable(request, slug)
    return render(
        request,
        "programmes/programme_manage.html",
        {
            "programme": programme,
            "sessions": selectors.sessions_with_results(programme),
            "signups": selectors.programme_signups(request.user, programme),
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
    return redirect(f"{programme.get_absolute_url()}manage/#signups")


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
    return redirect(f"{programme.get_absolute_url()}manage/#signups")


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
