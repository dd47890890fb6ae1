from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q

from . import access


class RoleGroupBackend(ModelBackend):
    """Django's model permissions, plus those of the groups the user's confirmed roles map
    to (``access.ROLE_GROUPS``): a NAV adviser has the "NAV advisers" group's permissions
    without being put in the group, and loses them when the membership goes. A group's
    permissions stay editable in the admin site like any other's."""

    def _get_group_permissions(self, user_obj):
        return Permission.objects.filter(
            Q(group__user=user_obj) | Q(group__name__in=access.role_group_names(user_obj))
        )
