"""The private files in a bucket (portal/storage.py says which files are private).

A module of its own: the bucket client (boto3) weighs about 19 MB in every web and worker
process, so only a portal that sets STORAGE_BUCKET loads it (settings.STORAGES).
"""

from storages.backends.s3 import S3Storage


class PrivateBucketStorage(S3Storage):
    """The private files in an S3-compatible bucket (Google Cloud Storage in NAIS).

    The bucket is never public and objects get no ACL; the portal's views stream each file
    to the person they have checked. `url()` still gives a signed address valid for
    STORAGE_SIGNED_URL_SECONDS, for a view that would rather redirect than stream.
    """

    def __init__(self, **options):
        super().__init__(
            **{"location": "private", "default_acl": None, "querystring_auth": True} | options
        )
