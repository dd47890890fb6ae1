# The private storage is shared with news photos and lives in portal.storage; this name stays
# because the partnerships migrations refer to get_private_storage here.
from portal.storage import PrivateStorage, get_private_storage, private_storage

__all__ = ["PrivateStorage", "get_private_storage", "private_storage"]
