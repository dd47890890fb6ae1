from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .images import NOT_AN_IMAGE
from .models import Article
from .selectors import organisations_with_news, programmes_with_news


class ArticleFilterForm(forms.Form):
    """The filters on /news/. Each field names the Article lookup it filters on in LOOKUPS,
    so a new filter (by programme, say) is one more field and one more entry."""

    LOOKUPS = {
        "language": "language",
        "organisation": "related_organisations",
        "programme": "related_programmes",
    }

    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("All languages")), *Article.Language.choices],
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        required=False,
        queryset=None,
        empty_label=_("All organisations"),
    )

    programme = forms.ModelChoiceField(
        label=_("Programme"),
        required=False,
        queryset=None,
        empty_label=_("All programmes"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations_with_news()
        self.fields["programme"].queryset = programmes_with_news()

    def lookups(self) -> dict:
        """The chosen filters as Article lookups; none when the form is not valid."""
        if not self.is_valid():
            return {}
        return {
            self.LOOKUPS[name]: value
            for name, value in self.cleaned_data.items()
            if value not in (None, "")
        }


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
