"""The project's form renderer: every field Django renders gets Aksel's markup."""

from django.forms.renderers import TemplatesSetting


class AkselFormRenderer(TemplatesSetting):
    """Renders forms with the project's templates (templates/forms/), so ``{{ form.title }}``
    and ``{{ form.title.as_field_group }}`` give the label, description, input and error of
    Aksel's React components. TemplatesSetting, not the default renderer: the field template
    lives with the project's templates and uses the project's template tags.
    https://docs.djangoproject.com/en/stable/ref/forms/renderers/
    """

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
