from django.urls import path

from .views import employer, public, staff

app_name = "programmes"

urlpatterns = [
    path("", public.catalogue, name="catalogue"),
    path("results/", public.overview, name="overview"),
    path("calendar.ics", public.calendar_all, name="calendar_all"),
    path("my-signups/", employer.my_signups, name="my_signups"),
    path("my-signups/<int:pk>/edit/", employer.signup_edit, name="signup_edit"),
    path("my-signups/<int:pk>/cancel/", employer.signup_cancel, name="signup_cancel"),
    path("manage/", staff.programme_list, name="manage"),
    path("new/", staff.programme_create, name="programme_create"),
    path("new/pickers/<slug:field>/", staff.programme_picker, name="programme_create_picker"),
    path("<slug:slug>/", public.programme_detail, name="programme_detail"),
    path("<slug:slug>/calendar.ics", public.calendar, name="calendar"),
    path("<slug:slug>/results/", public.results, name="results"),
    path("<slug:slug>/sign-up/", employer.signup_create, name="signup_create"),
    path("<slug:slug>/sign-up/done/", employer.signup_done, name="signup_done"),
    path("<slug:slug>/manage/", staff.programme_manage, name="programme_manage"),
    path("<slug:slug>/edit/", staff.programme_edit, name="programme_edit"),
    path(
        "<slug:slug>/edit/pickers/<slug:field>/",
        staff.programme_picker,
        name="programme_edit_picker",
    ),
    path("<slug:slug>/sessions/new/", staff.session_create, name="session_create"),
    path("<slug:slug>/sessions/<int:pk>/edit/", staff.session_edit, name="session_edit"),
    path("<slug:slug>/sessions/<int:pk>/results/", staff.session_results, name="session_results"),
    path("<slug:slug>/signups/export/", staff.signups_export, name="signups_export"),
    path("<slug:slug>/signups/<int:pk>/decide/", staff.signup_decide, name="signup_decide"),
    path(
        "<slug:slug>/signups/<int:pk>/attendance/",
        staff.signup_attendance,
        name="signup_attendance",
    ),
    path("<slug:slug>/news-draft/", staff.programme_news_draft, name="programme_news_draft"),
]
