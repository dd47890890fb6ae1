from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.accounts.admin import AccessScopedAdmin

from . import mentions, services
from .forms import ArticleAdminForm, article_admin_form
from .models import Article


@admin.register(Article)
class ArticleAdmin(AccessScopedAdmin):
    """Editors and admins write here; the Editors group's model permissions let them in."""

    form = ArticleAdminForm
    list_display = [
        "title",
        "state",
        "is_live",
        "public_since_display",
        "language",
        "preview",
    ]
    list_filter = ["state", "language"]
    search_fields = ["title", "lead", "body"]
    list_select_related = ["author"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["related_organisations"]
    readonly_fields = ["created_at", "updated_at"]
    actions = ["publish", "archive"]
    # The public page of a draft is a 404; the change page links to the preview instead.
    view_on_site = False
    fieldsets = [
        (None, {"fields": ["title", "slug", "language", "lead", "body"]}),
        (_("Photo"), {"fields": ["photo", "photo_alt", "photo_caption", "photo_credit"]}),
        # The mentions other apps register (agreements, programmes) follow; see get_fieldsets.
        (_("Related"), {"fields": ["related_organisations"]}),
        (
            _("Publishing"),
            {
                "fields": [
                    "state",
                    "publish_at",
                    "published_at",
                    "author",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]

    @admin.display(boolean=True, description=_("Public"))
    def is_live(self, obj):
        return obj.is_public()

    @admin.display(description=_("Public since"), ordering="published_at")
    def public_since_display(self, obj):
        return obj.public_since

    @admin.display(description=_("Preview"))
    def preview(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("news:article_preview", args=[obj.slug]), _("Preview")
        )

    def get_form(self, request, obj=None, **kwargs):
        kwargs["form"] = article_admin_form(self.admin_site)
        return super().get_form(request, obj, **kwargs)

    def autocomplete_choices(self, request, field_name):
        """An article may name any organisation, signed agreement or public programme (the
        form's choices, portal/news/mentions.py): whoever writes articles finds them all,
        not only those they could open in the admin site (an editor opens none)."""
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            return None
        for mention in mentions.mentions():
            if mention.relation == field_name:
                return mention.publishable(mention.model._default_manager.all())
        return None

    def get_fieldsets(self, request, obj=None):
        extra = [m.name for m in mentions.mentions() if m.relation != "related_organisations"]
        return [
            (name, {**options, "fields": [*options["fields"], *extra]})
            if name == _("Related")
            else (name, options)
            for name, options in self.fieldsets
        ]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.save_mentions(form.instance)

    def get_changeform_initial_data(self, request):
        # The byline starts as whoever writes; the editor may sign it with another name.
        return {"author": request.user.pk, **super().get_changeform_initial_data(request)}

    def save_model(self, request, obj, form, change):
        if not change and obj.author_id is None:
            obj.author = request.user
        services.article_save(article=obj)

    @admin.action(description=_("Publish the selected articles now"), permissions=["change"])
    def publish(self, request, queryset):
        for article in queryset:
            services.article_publish(article=article)
        count = len(queryset)
        self.message_user(
            request,
            ngettext("%(count)d article published.", "%(count)d articles published.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Archive the selected articles"), permissions=["change"])
    def archive(self, request, queryset):
        for article in queryset:
            services.article_archive(article=article)
        count = len(queryset)
        self.message_user(
            request,
            ngettext("%(count)d article archived.", "%(count)d articles archived.", count)
            % {"count": count},
            messages.SUCCESS,
        )
