"""The groups of the admin site, each with exactly the permissions its people need.

Members do not have to be put in these groups by hand: a confirmed NAV adviser has the
"NAV advisers" group's permissions and partner staff the "Partner staff" group's, through
the role (``access.role_group_names`` and ``backends.RoleGroupBackend``), so a membership
confirmed or ended changes what they may do at once. Editors and administrators are staff
put in their group (``Editors``, ``Administrators``).

What each person sees of a model is then narrowed by the access module: a permission says
"may use the sessions page", ``access.visible``/``access.changeable`` say which sessions.

Models are named by label, so this core module imports no app's models. The data migration
``accounts.0008_groups`` runs ``groups_sync``, and so does every post_migrate (also after a
flush: tests that commit empty the database).
"""

from django.apps import apps as django_apps
from django.contrib.auth.management import create_permissions

NAV_ADVISERS = "NAV advisers"
PARTNER_STAFF = "Partner staff"
EDITORS = "Editors"
ADMINISTRATORS = "Administrators"

VIEW = ("view",)
KEEP = ("view", "add", "change")
ALL = ("view", "add", "change", "delete")

# group -> {model label: actions}
GROUP_PERMISSIONS: dict[str, dict[str, tuple]] = {
    NAV_ADVISERS: {
        "accounts.user": VIEW,
        "accounts.organisation": KEEP,
        # Advisers confirm employers' contact persons.
        "accounts.membership": KEEP,
        "partnerships.contactperson": KEEP,
        "partnerships.agreement": ("view", "change"),
        "partnerships.agreementparty": ALL,
        "partnerships.signatory": ALL,
        "partnerships.goal": ALL,
        "partnerships.activity": ALL,
        "partnerships.agreementdocument": ("view", "change"),
        "programmes.programme": KEEP,
        "programmes.session": ALL,
        "programmes.signup": ("view", "change"),
        "programmes.sessionresult": KEEP,
    },
    PARTNER_STAFF: {
        "accounts.user": VIEW,
        "accounts.organisation": VIEW,
        "accounts.membership": VIEW,
        "partnerships.contactperson": KEEP,
        "partnerships.agreement": VIEW,
        "partnerships.agreementparty": VIEW,
        "partnerships.signatory": VIEW,
        "partnerships.goal": VIEW,
        "partnerships.activity": KEEP,
        "partnerships.agreementdocument": VIEW,
        "programmes.programme": KEEP,
        "programmes.session": ALL,
        "programmes.signup": ("view", "change"),
        "programmes.sessionresult": KEEP,
    },
    EDITORS: {"news.article": ALL},
    ADMINISTRATORS: {
        label: ALL
        for label in [
            "accounts.user",
            "accounts.organisation",
            "accounts.membership",
            "auth.group",
            "partnerships.contactperson",
            "partnerships.agreement",
            "partnerships.agreementparty",
            "partnerships.signatory",
            "partnerships.goal",
            "partnerships.activity",
            "partnerships.agreementdocument",
            "programmes.programme",
            "programmes.session",
            "programmes.signup",
            "programmes.sessionresult",
            "news.article",
        ]
    },
}


def groups_sync(apps=django_apps) -> None:
    """Create the groups and give each exactly its permissions (idempotent). ``apps`` is the
    migration's historical registry, or the live one."""
    app_labels = {label.split(".")[0] for table in GROUP_PERMISSIONS.values() for label in table}
    for app_label in sorted(app_labels):
        config = apps.get_app_config(app_label)
        # Permissions are normally made after all migrations (post_migrate): make them now,
        # so a fresh database's groups can hold them.
        had = getattr(config, "models_module", None)
        config.models_module = had or True
        create_permissions(config, apps=apps, verbosity=0)
        config.models_module = had
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, table in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = []
        for label, actions in table.items():
            app_label, model = label.split(".")
            wanted += Permission.objects.filter(
                content_type__app_label=app_label,
                codename__in=[f"{action}_{model}" for action in actions],
            )
        group.permissions.set(wanted)
