"""Private storage: files with no public URL, served only by views that check who asks.

Agreement documents and news photos (the originals, with their camera and GPS metadata,
and the web copies, which a draft must not show to anyone but its editors) live here, never
under MEDIA_ROOT, which a web server may serve to anyone.

Which backend holds them is the settings' `STORAGES["private"]`: a folder on this machine
(PrivateStorage, the default) or a bucket (portal.buckets.PrivateBucketStorage, when
STORAGE_BUCKET is set),
which every web node and worker shares. The fields name `get_private_storage`, which returns
a handle that follows the setting, so migrations hold no backend and tests can switch it.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


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


class _PrivateStorageHandle(LazyObject):
    def _setup(self):
        self._wrapped = storages["private"]


private_storage = _PrivateStorageHandle()


@receiver(setting_changed)
def _storages_changed(*, setting, **kwargs):
    # Django resets its own storages on this signal; the handle follows.
    if setting in ("STORAGES", "PRIVATE_MEDIA_ROOT"):
        private_storage._wrapped = empty


def get_private_storage():
    return private_storage
