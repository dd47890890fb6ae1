"""Turning an outbox row into an e-mail: HTML and text, in the recipient's language, with
the portal's name and address, and a one-click unsubscribe link where the category allows.
"""

import hashlib
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from . import rules
from .models import REQUIRED_CATEGORIES, Unsubscription

UNSUBSCRIBE_SALT = "portal.reminders.unsubscribe"


def serialise(message: EmailMessage) -> dict:
    """The parts of a message the outbox keeps as JSON (text attachments only)."""
    return {
        "subject": message.subject,
        "body": message.body,
        "content_subtype": message.content_subtype,
        "alternatives": [list(alt) for alt in getattr(message, "alternatives", [])],
        "from_email": message.from_email,
        "to": message.to,
        "cc": message.cc,
        "bcc": message.bcc,
        "reply_to": message.reply_to,
        "headers": message.extra_headers,
        "attachments": [
            [name, content if isinstance(content, str) else content.decode(), mimetype]
            for name, content, mimetype in message.attachments
        ],
    }


def deserialise(data: dict) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        data["subject"],
        data["body"],
        data["from_email"],
        data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
    )
    message.content_subtype = data["content_subtype"]
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    for name, content, mimetype in data.get("attachments", []):
        message.attach(name, content, mimetype)
    return message


def unsubscribe_token(email: str, category: str) -> str:
    return signing.dumps({"e": email.lower(), "c": category}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_read(token: str) -> tuple[str, str] | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return data["e"], data["c"]


def unsubscribe_url(email: str, category: str) -> str:
    return settings.PORTAL_URL + reverse(
        "reminders:unsubscribe", args=[unsubscribe_token(email, category)]
    )


def unsubscribed(reminder) -> bool:
    return reminder.category not in REQUIRED_CATEGORIES and (
        Unsubscription.objects.filter(
            email__iexact=reminder.email, category=reminder.category
        ).exists()
    )


def _message_id(reminder) -> str:
    """The same for every attempt, so a message sent twice (services.py's one window) is
    one message to the recipient's mail client."""
    digest = hashlib.sha256(reminder.key.encode()).hexdigest()[:32]
    domain = urlsplit(settings.PORTAL_URL).hostname or "localhost"
    return f"<reminder.{reminder.pk}.{digest}@{domain}>"


def build(reminder) -> EmailMultiAlternatives | None:
    """The e-mail for reminder, or None when its rule says it is no longer due. Sets
    reminder.subject and reminder.link for the in-app list."""
    if reminder.message is not None:
        message = deserialise(reminder.message)
        message.extra_headers.setdefault("Message-ID", _message_id(reminder))
        reminder.subject = message.subject
        return message
    rule = rules.rule_get(reminder.rule)
    if rule is None:
        raise LookupError(f"No reminder rule {reminder.rule!r}")
    with translation.override(reminder.language):
        context = rule.context(reminder)
        if context is None:
            return None
        unsubscribe = (
            unsubscribe_url(reminder.email, reminder.category)
            if reminder.category not in REQUIRED_CATEGORIES
            else ""
        )
        link = rule.link(reminder, context)
        context = {
            "reminder": reminder,
            "recipient": reminder.recipient,
            "portal_name": settings.PORTAL_NAME,
            "portal_url": settings.PORTAL_URL,
            "link_url": settings.PORTAL_URL + link if link else "",
            "unsubscribe_url": unsubscribe,
            "category_label": reminder.get_category_display(),
            **context,
        }
        subject = " ".join(render_to_string(f"{rule.template}_subject.txt", context).split())
        headers = {"Message-ID": _message_id(reminder)}
        if unsubscribe:
            # RFC 8058 one-click: mail clients POST to the link, which unsubscribes at once.
            headers["List-Unsubscribe"] = f"<{unsubscribe}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        message = EmailMultiAlternatives(
            subject,
            render_to_string(f"{rule.template}.txt", context),
            to=[reminder.email],
            headers=headers,
        )
        message.attach_alternative(render_to_string(f"{rule.template}.html", context), "text/html")
        for name, content, mimetype in rule.attachments(reminder, context):
            message.attach(name, content, mimetype)
    reminder.subject = subject
    reminder.link = link
    return message
