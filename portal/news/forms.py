from django import forms
from django.db.models import Q

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
            "related_agreements",
            "related_programmes",
            "state",
            "publish_at",
        ]
        # Django's own message for a file Pillow cannot open does not say what to upload.
        error_messages = {"photo": {"invalid_image": NOT_AN_IMAGE}}

    # Editors are not advisers: they may relate an article only to signed agreements (active
    # or ended, and so no secret) and their programmes, besides what it already mentions.
    SIGNED = ("active", "ended")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Q(pk__in=[]) matches nothing: a new article mentions nothing yet.
        mentioned = [self.instance.pk] if self.instance.pk else []
        agreements = self.fields["related_agreements"]
        agreements.queryset = agreements.queryset.filter(
            Q(status__in=self.SIGNED) | Q(news_articles__in=mentioned)
        ).distinct()
        programmes = self.fields["related_programmes"]
        programmes.queryset = programmes.queryset.filter(
            Q(agreement__status__in=self.SIGNED) | Q(news_articles__in=mentioned)
        ).distinct()
