from django.urls import path

from . import views

app_name = "programmes"

urlpatterns = [
    path("my-signups/", views.my_signups, name="my_signups"),
    path("<int:pk>/", views.programme_detail, name="programme_detail"),
    path("<int:pk>/news-draft/", views.programme_news_draft, name="programme_news_draft"),
]
