"""Writes for programmes."""

from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.accounts import access
from portal.exceptions import BusinessRuleError
from portal.news.services import article_draft_create

from .models import Programme
from .selectors import programme_results


def programme_news_draft(*, programme: Programme, user):
    """Start a news article from the programme's results, for an editor to finish."""
    if not (access.can_start_news_draft(user) and access.can_view(user, programme)):
        raise BusinessRuleError(_("Only editors and NAV advisers can start news articles."))
    if not programme.agreement.is_signed:
        raise BusinessRuleError(_("News can be drafted about signed agreements only."))
    results = programme_results(programme)
    figures = {"programme": programme.title, **results}
    body = [
        programme.description,
        "## " + gettext("Results so far"),
        "\n".join(
            [
                "- " + gettext("%(employers_signed_up)s employers signed up") % figures,
                "- " + gettext("%(sessions_held)s sessions held") % figures,
                "- " + gettext("%(jobs_gained)s people got a job") % figures,
            ]
        ),
    ]
    article = article_draft_create(
        author=user,
        title=gettext("Results from %(programme)s") % figures,
        lead=gettext(
            "%(employers_signed_up)s employers have taken part in %(programme)s so far, and "
            "%(jobs_gained)s people have got a job."
        )
        % figures,
        body="\n\n".join(part for part in body if part),
        language=translation.get_language() or "nb",
        organisations=[party.organisation for party in programme.agreement.parties.all()],
    )
    article.related_programmes.add(programme)
    article.related_agreements.add(programme.agreement)
    return article
