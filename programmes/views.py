from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from portal.accounts import access, roles
from portal.exceptions import BusinessRuleError
from portal.news.drafts import redirect_after_draft
from portal.news.selectors import articles_mentioning

from . import selectors, services


@login_required
def my_signups(request):
    """An employer's start page: their company's sign-ups to programmes."""
    return render(
        request,
        "programmes/my_signups.html",
        {
            "membership": roles.primary_membership(request.user),
            "signups": selectors.company_signups(request.user),
        },
    )


@login_required
def programme_detail(request, pk):
    programme = selectors.programme_get(request.user, pk)
    return render(
        request,
        "programmes/programme_detail.html",
        {
            "programme": programme,
            "results": selectors.programme_results(programme),
            "news": articles_mentioning(programme)[:10],
            "can_start_news_draft": access.can_start_news_draft(request.user)
            and programme.agreement.is_signed,
        },
    )


@login_required
@require_POST
def programme_news_draft(request, pk):
    programme = selectors.programme_get(request.user, pk)
    try:
        article = services.programme_news_draft(programme=programme, user=request.user)
    except BusinessRuleError as error:
        messages.error(request, error.message)
        return redirect(programme)
    return redirect_after_draft(request, article, programme)
