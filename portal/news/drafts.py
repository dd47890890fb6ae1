"""For the apps that start news drafts from their own pages (agreements, programmes)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.accounts import access


def redirect_after_draft(request, article, source):
    """After "Draft a news article": editors go on to finish the draft in the admin site; an
    adviser's draft waits for them, and the adviser stays on source (agreement, programme)."""
    if access.can_write_news(request.user):
        return redirect(reverse("admin:news_article_change", args=[article.pk]))
    messages.success(request, _("A draft news article is ready for the editors: %s") % article)
    return redirect(source)
