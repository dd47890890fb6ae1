from django import forms
from django.contrib.admin.widgets import FilteredSelectMultiple

from . import mentions
from .images import NOT_AN_IMAGE
from .models import Article


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
        ]
        # Django's own message for a file Pillow cannot open does not say what to upload.
        error_messages = {"photo": {"invalid_image": NOT_AN_IMAGE}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
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

    def save_mentions(self, article: Article) -> None:
        """Store the mentions owned by other apps (a ModelForm saves only Article's fields)."""
        for mention in mentions.mentions():
            if mention.name in self.fields and mention.name in self.cleaned_data:
                getattr(article, mention.relation).set(self.cleaned_data[mention.name])


def article_admin_form() -> type[ArticleAdminForm]:
    """ArticleAdminForm with a field for each mention other apps registered (known only once
    the apps are ready, so the class is made then)."""
    fields = {
        mention.name: forms.ModelMultipleChoiceField(
            label=mention.label,
            queryset=mention.model._default_manager.none(),
            required=False,
            widget=FilteredSelectMultiple(mention.label, is_stacked=False),
        )
        for mention in mentions.mentions()
        if mention.relation not in ArticleAdminForm.Meta.fields
    }
    return type("ArticleAdminForm", (ArticleAdminForm,), fields)
