from django.urls import path

from . import views

app_name = "reminders"

# Mounted at the site's root (portal/urls.py): the addresses span a few areas.
urlpatterns = [
    path("reminders/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/read/", views.notifications_read_all, name="notifications_read_all"),
    path("notifications/<int:pk>/", views.notification_open, name="notification_open"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("accounts/e-mails/", views.email_preferences, name="email_preferences"),
    path("accounts/calendar/", views.calendar_settings, name="calendar_settings"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
