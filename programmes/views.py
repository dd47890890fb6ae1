from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from portal.accounts import roles


@login_required
def my_signups(request):
    """An employer's start page: their company's sign-ups to programmes."""
    return render(
        request,
        "programmes/my_signups.html",
        {"membership": roles.primary_membership(request.user)},
    )
