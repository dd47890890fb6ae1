"""The employer's side: signing the company up, and their own sign-ups."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.accounts import access, roles
from portal.accounts.models import Organisation
from portal.exceptions import BusinessRuleError

from .. import selectors, services
from ..forms import SignUpChangeForm, SignUpForm

# My sign-ups a page at a time: a company that has taken part for years has hundreds.
PAGE_SIZE = 25


def signup_create(request, slug):
    """Sign up for a programme's sessions. A visitor is shown the way through logging in or
    registering, and comes back here after."""
    programme = selectors.programme_get(request.user, slug)
    if not request.user.is_authenticated:
        # Back to this very address, so the session chosen on the programme page (?session=)
        # is still ticked after logging in or registering.
        here = request.get_full_path()
        return render(
            request,
            "programmes/signup_start.html",
            {
                "programme": programme,
                "login_url": reverse("account_login") + "?" + urlencode({"next": here}),
                "register_url": reverse("account_signup") + "?" + urlencode({"next": here}),
            },
        )
    companies = Organisation.objects.filter(
        pk__in=[*access.employer_ids(request.user), *access.employer_ids_own(request.user)]
    )
    if not companies:
        return render(
            request, "programmes/signup_no_company.html", {"programme": programme}, status=403
        )
    if not programme.takes_signups():
        messages.info(
            request, _("%(programme)s does not take sign-ups now.") % {"programme": programme}
        )
        return redirect(programme)
    sessions = selectors.sessions_open_for_signup(programme)
    user = request.user
    form = SignUpForm(
        request.POST or None,
        sessions=sessions,
        companies=companies,
        programme=programme,
        initial={
            "employer": companies.first(),
            "contact_name": user.full_name,
            "contact_email": user.email,
            "sessions": [
                int(pk) for pk in request.GET.getlist("session") if pk.isascii() and pk.isdigit()
            ],
        },
    )
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields if name in form.fields}
        try:
            services.signup_create(
                user=user,
                employer=form.cleaned_data["employer"],
                sessions=form.cleaned_data["sessions"],
                data=data,
            )
        except BusinessRuleError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return redirect("programmes:signup_done", slug=programme.slug)
    return render(
        request,
        "programmes/signup_form.html",
        {"programme": programme, "form": form, "has_sessions": sessions.exists()},
        status=400 if form.errors else 200,
    )


@login_required
def signup_done(request, slug):
    programme = selectors.programme_get(request.user, slug)
    signups = selectors.company_signups(request.user).filter(session__programme=programme)
    return render(
        request, "programmes/signup_done.html", {"programme": programme, "signups": signups}
    )


@login_required
def my_signups(request):
    """An employer's start page: their company's sign-ups, never anyone else's."""
    page = Paginator(selectors.company_signups(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    signups = list(page.object_list)
    for signup in signups:
        signup.can_cancel = services.signup_can_be_cancelled(signup)
    return render(
        request,
        "programmes/my_signups.html",
        {
            "membership": roles.primary_membership(request.user),
            "unconfirmed": Organisation.objects.filter(
                pk__in=access.employer_ids_own(request.user)
            ),
            "signups": signups,
            "page": page,
        },
    )


@login_required
def signup_edit(request, pk):
    signup = selectors.company_signup_get(request.user, pk)
    form = SignUpChangeForm(request.POST or None, instance=signup)
    if request.method == "POST" and form.is_valid():
        try:
            services.signup_change(user=request.user, signup=signup, data=form.cleaned_data)
        except BusinessRuleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your sign-up is changed."))
            return redirect("programmes:my_signups")
    return render(request, "programmes/signup_edit.html", {"signup": signup, "form": form})


@login_required
@require_POST
def signup_cancel(request, pk):
    signup = selectors.company_signup_get(request.user, pk)
    try:
        services.signup_cancel(user=request.user, signup=signup)
    except BusinessRuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Your sign-up for %(session)s is cancelled.") % {"session": signup.session}
        )
    return redirect("programmes:my_signups")
