"""Private storage: files with no public URL, served only by views that check who asks.

Agreement documents and news photos (the originals, with their camera and GPS metadata,
and the web copies, which a draft must not show to anyone but its editors) live here, never
under MEDIA_ROOT, which a web server may serve to anyone.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """The location follows settings.PRIVATE_MEDIA_ROOT when it is read, so that tests can
    point it at a temporary folder, and migrations hold no machine's path."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)


private_storage = PrivateStorage()


def get_private_storage():
    return private_storage
