from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from portal.accounts import roles

from . import selectors


@login_required
def my_signups(request):
    """An employer's start page: their company's sign-ups to programmes."""
    return render(
        request,
        "programmes/my_signups.html",
        {"membership": roles.primary_membership(request.user)},
    )


@login_required
def programme_detail(request, pk):
    programme = selectors.programme_get(request.user, pk)
    return render(
        request,
        "programmes/programme_detail.html",
        {"programme": programme, "results": selectors.programme_results(programme)},
    )
