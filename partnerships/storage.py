import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """Files with no public URL (agreement documents): the download view checks access first.

    The location follows settings.PRIVATE_MEDIA_ROOT when it is read, so that tests can point
    it at a temporary folder, and migrations hold no machine's path.
    """

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
