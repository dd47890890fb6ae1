"""What everyone may read: the catalogue, a programme's page, its calendar and results."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from portal.accounts import access
from portal.news.selectors import articles_mentioning

from .. import selectors
from ..calendar import sessions_ics
from ..filters import CatalogueFilter
from ..models import Programme

PAGE_SIZE = 12


def catalogue(request):
    filterset = CatalogueFilter(request.GET or None, queryset=selectors.catalogue())
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "programmes/catalogue.html",
        {
            "filter": filterset,
            "page": page,
            "filtered": filterset.is_bound and any(filterset.form.data.values()),
            "can_create": access.can_create_programme(request.user),
        },
    )


def programme_detail(request, slug):
    programme = selectors.programme_get(request.user, slug)
    return render(
        request,
        "programmes/programme_detail.html",
        {
            "programme": programme,
            "sessions": selectors.sessions_of(programme),
            "takes_signups": programme.takes_signups(),
            "can_manage": access.can_change(request.user, programme),
            "can_start_news_draft": access.can_start_news_draft(request.user)
            and programme.state != Programme.State.DRAFT,
            "news": articles_mentioning(programme)[:5],
            "page_url": request.build_absolute_uri(programme.get_absolute_url()),
        },
    )


def _ics(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def calendar(request, slug):
    """The programme's sessions, for a calendar to subscribe to."""
    programme = selectors.programme_get(request.user, slug)
    return _ics(
        sessions_ics(
            programme.sessions.select_related("programme"),
            name=programme.title,
            base_url=settings.PORTAL_URL,
        ),
        f"{programme.slug}.ics",
    )


def calendar_all(request):
    """Every public session from a month back and a year ahead, in one feed."""
    return _ics(
        sessions_ics(
            selectors.upcoming_sessions().select_related("programme"),
            name=_("Programmes in the NAV partnership portal"),
            base_url=settings.PORTAL_URL,
        ),
        "programmes.ics",
    )


def results(request, slug):
    programme = selectors.programme_get(request.user, slug)
    return render(
        request,
        "programmes/results.html",
        {"programme": programme, "results": selectors.programme_results(programme)},
    )


def overview(request):
    return render(request, "programmes/overview.html", {"figures": selectors.public_overview()})
