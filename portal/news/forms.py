from django import forms
from django.contrib.admin.widgets import AdminFileWidget
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from portal.accounts import access
from portal.admin_site import AutocompleteSelectMultiple, autocomplete_chosen

from . import mentions
from .images import NOT_AN_IMAGE
from .models import Article


class PhotoWidget(AdminFileWidget):
    """Django's admin puts a file input in a fieldset whose legend is no <label> of the input
    (axe: label, WCAG 4.1.2); as one control, the field's own label names it."""

    use_fieldset = False


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = [
            "title",
            "slug",
            "language",
            "lead",
            "body",
            "photo",
            "photo_alt",
            "photo_caption",
            "photo_credit",
            "related_organisations",
            "state",
            "publish_at",
            "published_at",
            "author",
        ]
        # Django's own message for a file Pillow cannot open does not say what to upload.
        error_messages = {"photo": {"invalid_image": NOT_AN_IMAGE}}
        widgets = {"photo": PhotoWidget}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "author" in self.fields:
            # The byline: editors and admins, and whoever the article is by already (an
            # adviser who started the draft), never a list of every user.
            users = get_user_model()._default_manager
            current = users.filter(pk=self.instance.author_id)
            self.fields["author"].queryset = (
                (access.byline_candidates(users.all()) | current)
                .distinct()
                .order_by("full_name", "email")
            )
            self.fields["author"].required = False  # left empty: the one who saves it
            self.fields["author"].label = _("byline")
            self.fields["author"].help_text = _(
                "Who the article is by, as readers see it: an editor or admin."
            )
        # Mentions owned by other apps (agreements, programmes): editors choose among what
        # may be named in public, plus what the article already mentions.
        for mention in mentions.mentions():
            if mention.name in self.fields:
                field = self.fields[mention.name]
                current = (
                    getattr(self.instance, mention.relation).all()
                    if self.instance.pk
                    else mention.model._default_manager.none()
                )
                field.queryset = (
                    mention.publishable(mention.model._default_manager.all()) | current
                ).distinct()
                if self.instance.pk:
                    field.initial = list(current)
        if self.instance.pk and not self.is_bound:
            # Read for the initial values already: the widgets show them without a query
            # (sent back with an error, the form shows what was sent: Django reads those).
            for mention in mentions.mentions():
                name = mention.name if mention.name in self.fields else mention.relation
                if name in self.fields:
                    initial = self.fields[name].initial or self.initial.get(name, [])
                    autocomplete_chosen(self.fields[name], initial)

    def _get_validation_exclusions(self):
        exclude = super()._get_validation_exclusions()
        if not self.cleaned_data.get("published_at"):
            # Left empty, the date is stamped on saving (services.article_save), so the
            # "published has a date" constraint is the service's to meet.
            exclude.add("published_at")
        return exclude

    def save_mentions(self, article: Article) -> None:
        """Store the mentions owned by other apps (a ModelForm saves only Article's fields)."""
        for mention in mentions.mentions():
            if mention.name in self.fields and mention.name in self.cleaned_data:
                getattr(article, mention.relation).set(self.cleaned_data[mention.name])


def article_admin_form(admin_site) -> type[ArticleAdminForm]:
    """ArticleAdminForm with a field for each mention other apps registered (known only once
    the apps are ready, so the class is made then). Each is picked with the admin site's
    autocomplete (ArticleAdmin.autocomplete_choices), not from a list of every agreement."""
    fields = {
        mention.name: forms.ModelMultipleChoiceField(
            label=mention.label,
            queryset=mention.model._default_manager.none(),
            required=False,
            widget=AutocompleteSelectMultiple(
                Article._meta.get_field(mention.relation), admin_site
            ),
        )
        for mention in mentions.mentions()
        if mention.relation not in ArticleAdminForm.Meta.fields
    }
    return type("ArticleAdminForm", (ArticleAdminForm,), fields)
