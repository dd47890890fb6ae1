"""Web addresses that users type in: only http and https, with nothing invisible in them.

A check of a URL's scheme reads its characters, a browser does not read them all:
``java\\u200bscript:`` passes a check for "javascript:", and a program that later drops
the zero-width space (a feed reader, a mail client, a copy and paste) is left with a
javascript: link; browsers drop leading control characters themselves (``\\x01javascript:``
runs). So control (Cc) and format (Cf) characters, the zero-width spaces, joiners, word
joiner and byte-order mark among them, are removed before the scheme is checked, and the
address is stored and shown without them.
"""

import re
import unicodedata

from django import forms
from django.core.validators import URLValidator
from django.db import models

WEB_SCHEMES = ["http", "https"]
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")


def strip_invisible(value: str) -> str:
    return "".join(char for char in value if unicodedata.category(char) not in {"Cc", "Cf"})


def scheme_allowed(url: str, schemes) -> bool:
    """True for a relative address or one whose scheme is in schemes; url already stripped."""
    match = _SCHEME.match(url)
    return match is None or match.group(1).lower() in schemes


class WebURLFormField(forms.URLField):
    default_validators = [URLValidator(schemes=WEB_SCHEMES)]

    def to_python(self, value):
        return super().to_python(strip_invisible(value) if isinstance(value, str) else value)


class WebURLField(models.URLField):
    """A URLField for http and https addresses only (Django's also takes ftp and ftps)."""

    default_validators = [URLValidator(schemes=WEB_SCHEMES)]

    def to_python(self, value):
        value = super().to_python(value)
        return strip_invisible(value).strip() if isinstance(value, str) else value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": WebURLFormField, **kwargs})
