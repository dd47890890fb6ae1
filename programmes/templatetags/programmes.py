"""How sign-ups and programmes look: presentation kept out of the templates."""

from django import template
from django.utils.translation import gettext_lazy as _

from programmes.models import ProgrammeState, SignUpStatus

register = template.Library()

S = SignUpStatus

SIGNUP_LOOK = {
    S.PENDING: ("warning", ""),
    S.CONFIRMED: ("success", ""),
    S.DECLINED: ("danger", "outline"),
    S.WAITING: ("info", "outline"),
    S.CANCELLED: ("neutral", "outline"),
    S.ATTENDED: ("success", "strong"),
    S.NO_SHOW: ("neutral", ""),
}

# What a status means for the employer reading "my sign-ups".
SIGNUP_HELP = {
    S.PENDING: _("You have a place; the organisers will confirm it."),
    S.CONFIRMED: _("Welcome! The session is in your calendar file."),
    S.WAITING: _("The session is full. We tell you by e-mail if a place becomes free."),
    S.DECLINED: _("The organisers could not give you a place this time."),
    S.CANCELLED: _("You cancelled this sign-up."),
    S.ATTENDED: _("Thank you for taking part."),
    S.NO_SHOW: _("You were not registered as present."),
}

PROGRAMME_LOOK = {
    ProgrammeState.DRAFT: ("neutral", "outline"),
    ProgrammeState.OPEN: ("success", ""),
    ProgrammeState.CLOSED: ("warning", ""),
    ProgrammeState.COMPLETED: ("neutral", ""),
}


@register.inclusion_tag("components/tag.html")
def signup_status_tag(signup):
    color, variant = SIGNUP_LOOK.get(signup.status, ("neutral", ""))
    return {
        "label": signup.get_status_display(),
        "color": color,
        "variant": variant,
        "size": "small",
    }


@register.simple_tag
def signup_status_help(signup):
    return SIGNUP_HELP.get(signup.status, "")


@register.inclusion_tag("components/tag.html")
def programme_state_tag(programme):
    color, variant = PROGRAMME_LOOK.get(programme.state, ("neutral", ""))
    return {
        "label": programme.get_state_display(),
        "color": color,
        "variant": variant,
        "size": "small",
    }
