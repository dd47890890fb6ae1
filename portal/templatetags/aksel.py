"""Template helpers that give Django form widgets the markup of Aksel's React components."""

from django import template

register = template.Library()

INPUT_CLASS = {
    "select": "aksel-select__input aksel-body-short",
    "selectmultiple": "aksel-select__input aksel-body-short",
    "checkbox": "aksel-checkbox__input",
    "radio": "aksel-radio__input",
}
TEXT_INPUT_CLASS = "aksel-text-field__input aksel-body-short"


def widget_kind(field) -> str:
    """'hidden', 'checkbox', 'checkboxes' (a group), 'radios', 'select', 'textarea' or 'text'
    (every other input)."""
    widget = field.field.widget
    name = type(widget).__name__.lower()
    if name == "textarea":
        return "textarea"
    input_type = getattr(widget, "input_type", "") or ""
    if widget.is_hidden:
        return "hidden"
    if input_type == "radio":
        return "radios"
    if input_type == "checkbox" and getattr(widget, "allow_multiple_selected", False):
        return "checkboxes"
    if input_type == "checkbox":
        return "checkbox"
    if input_type == "select" or name.startswith("select"):
        return "select"
    return "text"


@register.filter
def aksel_kind(field) -> str:
    return widget_kind(field)


@register.filter
def aksel_input(field, size=""):
    """Render the field's widget with Aksel's classes and its description and error ids."""
    kind = widget_kind(field)
    attrs = {"class": INPUT_CLASS.get(kind, TEXT_INPUT_CLASS)}
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}-description")
    if field_errors(field):
        described_by.append(f"{field.auto_id}-error")
        attrs["aria-invalid"] = "true"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if size and kind != "checkbox":
        attrs["class"] += f" aksel-body-short--{size}"
    return field.as_widget(attrs=attrs)


@register.filter
def aksel_size(field, size=""):
    """The size asked for by the include, else the form's ``field_size`` (rows of a formset)."""
    return size or getattr(field.form, "field_size", "")


@register.filter(name="aksel_errors")
def field_errors(field):
    """The field's errors, or none while its form is a draft (see partnerships.forms.drafts):
    a form the user is still filling in is not judged yet."""
    return field.form.error_class() if getattr(field.form, "draft", False) else field.errors
