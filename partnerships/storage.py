from django.conf import settings
from django.core.files.storage import FileSystemStorage

# Agreement documents never get a public URL: the download view checks access first.
private_storage = FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)
