from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache

from portal.accounts import access

from . import selectors
from .filters import ArticleFilter


def article_list(request):
    # A value that is not offered (an unknown organisation) is left out, not an error page.
    filterset = ArticleFilter(request.GET, queryset=selectors.articles_published())
    page = Paginator(filterset.qs, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "news/article_list.html",
        {"form": filterset.form, "page": page, "filtered": filterset.filtered},
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


# A public article's photo may be cached by anyone for a while; its address changes with the
# photo (Article.photo_web_url), and an article taken down is gone from caches within this.
PUBLIC_PHOTO_MAX_AGE = 60 * 60


def article_photo(request, slug):
    """The web copy of an article's photo, to those who may see the article; others get 404.

    Photos are in private storage (see models.PhotoField), so this is their only way out.
    """
    article = selectors.article_with_photo_get(user=request.user, slug=slug)
    if article is None:
        raise Http404
    response = FileResponse(article.photo_web.open("rb"), content_type="image/jpeg")
    if article.is_public():
        patch_cache_control(response, public=True, max_age=PUBLIC_PHOTO_MAX_AGE)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response


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
