"""How agreements look: presentation kept out of the templates and out of the model."""

from django import template

from partnerships.models import Agreement

register = template.Library()

S = Agreement.Status

# Aksel Tag colour and variant per status. A status missing here shows as a neutral tag.
STATUS_LOOK = {
    S.DRAFT: ("neutral", "outline"),
    S.NEGOTIATION: ("info", ""),
    S.ACTIVE: ("success", ""),
    S.ENDED: ("neutral", ""),
    S.TERMINATED: ("danger", ""),
}


@register.inclusion_tag("components/tag.html")
def status_tag(agreement):
    color, variant = STATUS_LOOK.get(agreement.status, ("neutral", ""))
    return {
        "label": agreement.get_status_display(),
        "color": color,
        "variant": variant,
        "size": "small",
    }
