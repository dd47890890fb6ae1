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
    """'checkbox', 'select', 'textarea' or 'text' (every other input)."""
    widget = field.field.widget
    name = type(widget).__name__.lower()
    if name == "textarea":
        return "textarea"
    input_type = getattr(widget, "input_type", "") or ""
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
    if field.errors:
        described_by.append(f"{field.auto_id}-error")
        attrs["aria-invalid"] = "true"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if size and kind != "checkbox":
        attrs["class"] += f" aksel-body-short--{size}"
    return field.as_widget(attrs=attrs)
