from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from portal.accounts import access

from . import selectors
from .forms import ArticleFilterForm


def article_list(request):
    form = ArticleFilterForm(request.GET or None)
    lookups = form.lookups()
    articles = selectors.articles_published(filters=lookups)
    page = Paginator(articles, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "news/article_list.html",
        {"form": form, "page": page, "filtered": bool(lookups)},
    )


def article_detail(request, slug):
    article = selectors.article_published_get(slug=slug)
    if article is None:
        raise Http404
    return _render_article(request, article, preview=False)


@never_cache
@login_required
def article_preview(request, slug):
    """The article as readers will see it, drafts too, for editors and admins."""
    if not access.can_write_news(request.user):
        raise PermissionDenied
    article = selectors.article_for_preview(user=request.user, slug=slug)
    if article is None:
        raise Http404
    return _render_article(request, article, preview=True)


def _render_article(request, article, *, preview):
    photo_url = article.photo_web_url
    return render(
        request,
        "news/article_detail.html",
        {
            "article": article,
            "preview": preview,
            "is_public": article.is_public(),
            "mentions": selectors.mention_links(user=request.user, article=article),
            "page_url": request.build_absolute_uri(article.get_absolute_url()),
            "photo_url": photo_url,
            "photo_absolute_url": request.build_absolute_uri(photo_url) if photo_url else None,
        },
    )
