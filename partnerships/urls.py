from django.urls import path, register_converter

from . import views


class ReferenceConverter:
    regex = r"SA-\d{4}-\d{4,}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ReferenceConverter, "reference")

app_name = "partnerships"

urlpatterns = [
    path("agreements/", views.agreement_list, name="agreement_list"),
    path(
        "agreements/pickers/<slug:field>/",
        views.agreement_filter_picker_options,
        name="agreement_filter_picker_options",
    ),
    path("agreements/export/", views.agreement_export, name="agreement_export"),
    path(
        "agreements/exports/<uuid:pk>/",
        views.agreement_export_download,
        name="agreement_export_download",
    ),
    path("agreements/new/", views.agreement_create, name="agreement_create"),
    path("forms/rows/<slug:prefix>/", views.form_row, name="form_row"),
    path(
        "forms/pickers/<slug:form>/<slug:field>/", views.form_picker_options, name="picker_options"
    ),
    path("agreements/<reference:reference>/", views.agreement_detail, name="agreement_detail"),
    path("agreements/<reference:reference>/edit/", views.agreement_edit, name="agreement_edit"),
    path(
        "agreements/<reference:reference>/history/",
        views.agreement_history,
        name="agreement_history",
    ),
    path(
        "agreements/<reference:reference>/status/<slug:name>/",
        views.agreement_transition,
        name="agreement_transition",
    ),
    path("agreements/<reference:reference>/renew/", views.agreement_renew, name="agreement_renew"),
    path(
        "agreements/<reference:reference>/news-draft/",
        views.agreement_news_draft,
        name="agreement_news_draft",
    ),
    path(
        "agreements/<reference:reference>/activities/",
        views.activity_create,
        name="activity_create",
    ),
    path(
        "agreements/<reference:reference>/activities/pickers/<slug:field>/",
        views.activity_picker_options,
        name="activity_picker_options",
    ),
    path(
        "agreements/<reference:reference>/activities/<int:pk>/done/",
        views.activity_done,
        name="activity_done",
    ),
    path(
        "agreements/<reference:reference>/documents/",
        views.document_upload,
        name="document_upload",
    ),
    path(
        "agreements/<reference:reference>/documents/<int:pk>/",
        views.document_download,
        name="document_download",
    ),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("search/", views.search, name="search"),
]
