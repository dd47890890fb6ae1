from django.urls import path

from . import views

app_name = "programmes"

urlpatterns = [
    path("my-signups/", views.my_signups, name="my_signups"),
]
