from django.urls import path

from . import feeds, views

app_name = "news"

urlpatterns = [
    path("", views.article_list, name="article_list"),
    path("feed/", feeds.ArticlesFeed(), name="feed"),
    path("feed/atom/", feeds.ArticlesAtomFeed(), name="feed_atom"),
    path("<slug:slug>/", views.article_detail, name="article_detail"),
    path("<slug:slug>/preview/", views.article_preview, name="article_preview"),
    path("<slug:slug>/photo/", views.article_photo, name="article_photo"),
]
