"""Who may see and change what: the one place that answers it.

Views, the admin site, exports, feeds and downloads all ask here. A view that shows an
object fetches it through ``visible(user, queryset)``, so an id from another organisation is
a 404, never a leak.

Each kind of object names the path from it to the organisation(s) it belongs to, and which
members of those organisations may see and change it. The rules, by role:

- admins (Django superusers, or staff in the Administrators group) see and change everything;
- NAV advisers see everything whose scope says ``advisers_see_all`` (and change it where
  ``advisers_change_all``);
- partner staff and employer contacts see what belongs to their own organisation, and change
  it where their role is in ``change_roles``;
- editors (staff in the Editors group) read what a scope's ``editors_see`` names (signed
  agreements), to write news about it;
- for what no organisation owns (news articles), everyone sees the public part (``public``
  names the queryset method that gives it), and holders of the model's own Django
  permissions (the Editors group) see and change all of it (``by_model_permission``).

Models are named by label, so this core module imports no app's models.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_permission_codename
from django.contrib.auth.models import Permission
from django.db.models import Model, Q, QuerySet

from . import groups
from .models import Organisation, Role


@dataclass(frozen=True)
class Scope:
    # Lookup from the model to its organisation(s); "" when the model is Organisation, None
    # when no organisation owns it.
    org_path: str | None
    view_roles: frozenset = field(default_factory=lambda: frozenset(Role))
    change_roles: frozenset = frozenset()
    advisers_see_all: bool = True
    advisers_change_all: bool = True
    # The queryset method that gives what everyone, logged in or not, may see; "" for none.
    public: str = ""
    # Holders of the model's view_/change_ permission see/change all of it.
    by_model_permission: bool = False
    # More owners, each an Owner(org_path, view_roles, change_roles): a sign-up belongs to
    # the employer and to the programme's organisers alike.
    also: tuple = ()
    # The queryset method that gives what editors (is_editor) read besides, to write news
    # about it; "" for nothing more.
    editors_see: str = ""


@dataclass(frozen=True)
class Owner:
    org_path: str
    view_roles: frozenset
    change_roles: frozenset = frozenset()


PARTNERS = frozenset({Role.PARTNER_STAFF})
EMPLOYERS = frozenset({Role.EMPLOYER_CONTACT})

SCOPES: dict[str, Scope] = {
    # People: advisers see everyone (to pick a responsible adviser), partner staff their own
    # organisation's people; only admins change accounts.
    "accounts.user": Scope(
        org_path="memberships__organisation", view_roles=PARTNERS, advisers_change_all=False
    ),
    "accounts.organisation": Scope(org_path="", change_roles=frozenset()),
    "accounts.membership": Scope(org_path="organisation"),
    # Partner staff see their own organisation's contacts and keep them up to date.
    "partnerships.contactperson": Scope(
        org_path="organisation", change_roles=frozenset({Role.PARTNER_STAFF})
    ),
    # Agreements: NAV advisers see and change all; partner staff read their own (the parties'),
    # and add activities and documents to them; employers see none.
    # Editors read signed agreements (what news may name) to write about them.
    "partnerships.agreement": Scope(
        org_path="parties__organisation", view_roles=PARTNERS, editors_see="signed"
    ),
    "partnerships.agreementparty": Scope(
        org_path="agreement__parties__organisation", view_roles=PARTNERS
    ),
    "partnerships.signatory": Scope(
        org_path="party__agreement__parties__organisation", view_roles=PARTNERS
    ),
    "partnerships.goal": Scope(org_path="agreement__parties__organisation", view_roles=PARTNERS),
    "partnerships.activity": Scope(
        org_path="agreement__parties__organisation", view_roles=PARTNERS, change_roles=PARTNERS
    ),
    "partnerships.agreementdocument": Scope(
        org_path="agreement__parties__organisation", view_roles=PARTNERS
    ),
    # Programmes: everyone reads those that are not drafts (the public catalogue); the
    # organisers' partner staff see and change their own, drafts included; advisers all.
    "programmes.programme": Scope(
        org_path="organisers", view_roles=PARTNERS, change_roles=PARTNERS, public="public"
    ),
    "programmes.session": Scope(
        org_path="programme__organisers",
        view_roles=PARTNERS,
        change_roles=PARTNERS,
        public="public",
    ),
    "programmes.sessionresult": Scope(
        org_path="session__programme__organisers", view_roles=PARTNERS, change_roles=PARTNERS
    ),
    # A sign-up belongs to the employer (its contacts see and change it) and to the
    # programme's organisers (their partner staff review it).
    "programmes.signup": Scope(
        org_path="employer",
        view_roles=EMPLOYERS,
        change_roles=EMPLOYERS,
        also=(Owner("session__programme__organisers", PARTNERS, PARTNERS),),
    ),
    # Published news is for everyone; drafts and scheduled articles only for the Editors
    # group (who hold the article permissions) and admins. NAV advisers are readers here.
    "news.article": Scope(
        org_path=None,
        view_roles=frozenset(),
        advisers_see_all=False,
        advisers_change_all=False,
        public="published",
        by_model_permission=True,
    ),
}


def scope_for(model: type[Model]) -> Scope:
    try:
        return SCOPES[model._meta.label_lower]
    except KeyError:
        raise LookupError(
            f"{model._meta.label} has no access scope: add one in portal/accounts/access.py"
        ) from None


def memberships_of(user) -> list:
    """All the user's memberships with their organisations, oldest first: one query a
    request, shared by the role checks, the header and the employer links (cached on the
    user object, which lives as long as the request)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_portal_memberships", None)
    if cached is None:
        cached = list(user.memberships.select_related("organisation").order_by("created_at"))
        user._portal_memberships = cached
    return cached


def roles_of(user) -> dict[int, str]:
    """Organisation id -> role, for the user's confirmed memberships (only these give a
    role; an unconfirmed one: employer_ids_own)."""
    return {m.organisation_id: m.role for m in memberships_of(user) if m.confirmed}


def is_admin(user) -> bool:
    """Django superusers, and staff in the Administrators group."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not user.is_staff:
        return False
    cached = getattr(user, "_portal_is_admin", None)
    if cached is None:
        cached = user.groups.filter(name=groups.ADMINISTRATORS).exists()
        user._portal_is_admin = cached
    return cached


# The group whose permissions each role's members have in the admin site, while their
# membership is confirmed (RoleGroupBackend); nobody has to be put in these groups by hand.
ROLE_GROUPS = {
    Role.NAV_ADVISER: groups.NAV_ADVISERS,
    Role.PARTNER_STAFF: groups.PARTNER_STAFF,
}


def role_group_names(user) -> set[str]:
    """The groups user's roles give them the permissions of (none for employers)."""
    return {ROLE_GROUPS[role] for role in roles_of(user).values() if role in ROLE_GROUPS}


def is_nav_adviser(user) -> bool:
    return Role.NAV_ADVISER in roles_of(user).values()


def is_partner_staff(user) -> bool:
    return Role.PARTNER_STAFF in roles_of(user).values()


def is_employer_contact(user) -> bool:
    return Role.EMPLOYER_CONTACT in roles_of(user).values()


def is_editor(user) -> bool:
    """Editors: staff in the Editors group, which holds news' article permissions."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.is_staff
        and user.has_perm("news.add_article")
    )


def uses_workspace(user) -> bool:
    """The workspace (dashboard, agreements, organisations, search) is for NAV advisers,
    partner staff and admins."""
    return is_admin(user) or is_nav_adviser(user) or is_partner_staff(user)


def has_calendar_feed(user) -> bool:
    """A personal calendar feed of deadlines, follow-ups and sessions: for the people who
    work with agreements (NAV advisers, partner staff, admins)."""
    return uses_workspace(user)


def uses_admin_site(user) -> bool:
    """The admin site (``PortalAdminSite.has_permission``): admins, staff such as editors,
    NAV advisers and partner staff; employers and people without a confirmed role never.
    What each sees there is their group's permissions narrowed by ``visible``."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_staff or is_admin(user) or is_nav_adviser(user) or is_partner_staff(user)


def has_no_role(user) -> bool:
    """Logged in, but neither staff nor a confirmed member of any organisation (a new
    employer whose company was registered already)."""
    return bool(
        getattr(user, "is_authenticated", False) and not roles_of(user) and not user.is_staff
    )


def can_write_news(user) -> bool:
    """Editors and admins write articles."""
    return is_admin(user) or is_editor(user)


def can_start_news_draft(user) -> bool:
    """NAV advisers start drafts from their agreements and programmes; editors finish them."""
    return can_write_news(user) or is_nav_adviser(user)


def can_read_audit_log(user) -> bool:
    """The audit log (who logged in, changed rights, exported, downloaded) is for admins."""
    return is_admin(user)


def byline_candidates(users: QuerySet) -> QuerySet:
    """Whom an article may be signed by: active editors and admins (the form adds the
    article's present author, an adviser who started the draft)."""
    may_write = Permission.objects.filter(content_type__app_label="news", codename="add_article")
    writers = users.model._default_manager.filter(is_staff=True).filter(
        Q(groups__permissions__in=may_write) | Q(user_permissions__in=may_write)
    )
    return users.filter(is_active=True).filter(
        Q(is_superuser=True) | Q(pk__in=writers.values("pk"))
    )


def must_confirm_with_code(user) -> bool:
    """Deleting one's account asks for the password, and from whoever logs in with a second
    factor, a code too."""
    return mfa_required(user)


def can_register(user) -> bool:
    """Registering agreements and organisations is NAV's work (and the admins')."""
    return is_admin(user) or is_nav_adviser(user)


def can_be_responsible(user) -> bool:
    """Who may be an agreement's responsible adviser: someone in a NAV unit, or an admin."""
    return is_admin(user) or is_nav_adviser(user)


def responsible_candidates(users: QuerySet) -> QuerySet:
    """The part of users who may be made responsible for an agreement (the form's choices)."""
    return users.filter(memberships__role=Role.NAV_ADVISER, is_active=True).distinct()


def can_hand_over(user, agreement) -> bool:
    """Only the responsible adviser or an admin may hand an agreement to another adviser:
    otherwise any adviser could make themselves responsible, then terminate early."""
    return is_admin(user) or agreement.responsible_adviser_id == user.pk


def can_move(user, agreement, *, responsible_only: bool) -> bool:
    """May user move the agreement along its lifecycle (the status buttons)? Partner staff
    never do; advisers who may change it do; some steps only its responsible adviser."""
    if is_admin(user):
        return True
    if responsible_only and agreement.responsible_adviser_id != user.pk:
        return False
    return is_nav_adviser(user) and can_change(user, agreement)


def can_renew(user) -> bool:
    return is_admin(user) or is_nav_adviser(user)


def can_create_programme(user) -> bool:
    """NAV advisers and partner staff run programmes (and admins)."""
    return is_admin(user) or is_nav_adviser(user) or is_partner_staff(user)


def can_organise_as(user, organisers, already=()) -> bool:
    """Partner staff create and keep programmes that their own organisation organises; they
    may add NAV units, but another partner (which would then see the employers' contact data)
    only a NAV adviser adds. ``already`` are the programme's organisers before the change."""
    if is_admin(user) or is_nav_adviser(user):
        return True
    own = {org_id for org_id, role in roles_of(user).items() if role == Role.PARTNER_STAFF}
    kept = {organisation.pk for organisation in already}
    partners_added = (
        {
            organisation.pk
            for organisation in organisers
            if organisation.kind == organisation.Kind.PARTNER
        }
        - own
        - kept
    )
    return any(organisation.pk in own for organisation in organisers) and not partners_added


def organiser_candidates(user, organisations: QuerySet) -> QuerySet:
    """The part of organisations the programme form's search offers user as organisers:
    what can_organise_as lets them name. Advisers and admins any; partner staff their own
    organisations and NAV units, never another partner (one already organising stays
    chosen in the form, and is kept)."""
    if is_admin(user) or is_nav_adviser(user):
        return organisations
    own = [org_id for org_id, role in roles_of(user).items() if role == Role.PARTNER_STAFF]
    return organisations.filter(Q(pk__in=own) | Q(kind=Organisation.Kind.NAV_UNIT))


def employer_ids(user) -> list[int]:
    """The companies user acts for: their confirmed employer memberships, whatever else
    they are. They see and change all of those companies' sign-ups."""
    return [org_id for org_id, role in roles_of(user).items() if role == Role.EMPLOYER_CONTACT]


def employer_ids_own(user) -> list[int]:
    """Companies user is linked to unconfirmed: they sign up for them, and see and change
    only the sign-ups they made themselves."""
    return [
        m.organisation_id
        for m in memberships_of(user)
        if not m.confirmed and m.role == Role.EMPLOYER_CONTACT
    ]


def can_sign_up_for(user, employer) -> bool:
    return employer.pk in employer_ids(user) or employer.pk in employer_ids_own(user)


def can_act_on_signup(user, signup) -> bool:
    """Cancel or change a sign-up: the company's confirmed contacts, or who made it."""
    if signup.employer_id in employer_ids(user):
        return True
    return signup.employer_id in employer_ids_own(user) and signup.signed_up_by_id == user.pk


def signups_of_own(user) -> Q:
    """The sign-ups "my sign-ups" shows user (a condition on SignUp)."""
    return Q(employer_id__in=employer_ids(user)) | Q(
        employer_id__in=employer_ids_own(user), signed_up_by_id=getattr(user, "pk", None)
    )


def organiser_staff(memberships: QuerySet) -> QuerySet:
    """The part of memberships (in a programme's organisers) whose holders run the programme
    and are reminded of its sessions and sign-ups: confirmed NAV advisers and partner staff
    with an active account, the people who may review its sign-ups."""
    return memberships.filter(
        confirmed=True,
        role__in=[Role.NAV_ADVISER, Role.PARTNER_STAFF],
        user__is_active=True,
    )


def mfa_required(user) -> bool:
    """Everyone but employers logs in with a second factor: staff (editors), admins, NAV
    advisers and partner staff can see other organisations' data."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return bool({Role.NAV_ADVISER, Role.PARTNER_STAFF} & set(roles_of(user).values()))


def visible(user, queryset: QuerySet, *, public: bool = True) -> QuerySet:
    """The part of queryset that user may see; ``public=False`` leaves out what user sees
    only because everyone does (``managed``)."""
    if is_admin(user):
        return queryset
    scope = scope_for(queryset.model)
    if scope.by_model_permission and _has_model_permission(user, "view", queryset.model):
        return queryset
    if scope.advisers_see_all and is_nav_adviser(user):
        return queryset
    owned = _owned_by_members(user, queryset, scope, "view")
    if scope.editors_see and is_editor(user):
        owned = getattr(queryset, scope.editors_see)() | owned
    if scope.public and public:
        return getattr(queryset, scope.public)() | owned
    return owned


def sees_all(user, model: type[Model]) -> bool:
    """Does user see every row of model (an admin; an adviser, of agreements)?"""
    everything = model._default_manager.all()
    return visible(user, everything) is everything


def managed(user, queryset: QuerySet) -> QuerySet:
    """What user sees in the admin site: what they may see, less the public catalogue (a
    partner's staff manage their own programmes there, not everyone's open ones)."""
    return visible(user, queryset, public=False)


def can_pick_any_organiser(user) -> bool:
    """In the admin site, NAV advisers and admins set a programme's organisers and
    agreements; partner staff change those in the portal's own form (can_organise_as)."""
    return is_admin(user) or is_nav_adviser(user)


def changeable(user, queryset: QuerySet) -> QuerySet:
    """The part of queryset that user may change."""
    if is_admin(user):
        return queryset
    scope = scope_for(queryset.model)
    if scope.by_model_permission and _has_model_permission(user, "change", queryset.model):
        return queryset
    if scope.advisers_change_all and is_nav_adviser(user):
        return queryset
    return _owned_by_members(user, queryset, scope, "change")


def can_view(user, obj: Model) -> bool:
    return _allows(visible, user, obj)


def can_manage(user, obj: Model) -> bool:
    """May user open obj in the admin site (``managed``)?"""
    return _allows(managed, user, obj)


def can_change(user, obj: Model) -> bool:
    return _allows(changeable, user, obj)


def _allows(narrow, user, obj: Model) -> bool:
    everything = type(obj)._default_manager.all()
    allowed = narrow(user, everything)
    # Unnarrowed (an admin, an adviser who sees all): no query needed to know.
    return allowed is everything or allowed.filter(pk=obj.pk).exists()


def _has_model_permission(user, action: str, model) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    # As in the admin site, whoever may change may also view.
    actions = ["view", "change"] if action == "view" else [action]
    return any(
        user.has_perm(f"{model._meta.app_label}.{get_permission_codename(a, model._meta)}")
        for a in actions
    )


def _owned_by_members(user, queryset, scope, action: str) -> QuerySet:
    """The part of queryset owned by organisations where user holds a role that may do
    action ("view" or "change"), through the scope's own path or an Owner in scope.also."""
    if scope.org_path is None:
        return queryset.none()
    owners = [Owner(scope.org_path, scope.view_roles, scope.change_roles), *scope.also]
    conditions = []
    for owner in owners:
        roles = owner.view_roles if action == "view" else owner.change_roles
        org_ids = [org_id for org_id, role in roles_of(user).items() if role in roles]
        if org_ids:
            conditions.append(_owned_through(queryset.model, owner.org_path, org_ids))
    if not conditions:
        return queryset.none()
    condition = conditions[0]
    for other in conditions[1:]:
        condition |= other
    return queryset.filter(condition)


def _owned_through(model, path: str, org_ids: list[int]) -> Q:
    lookup = f"{path}__in" if path else "pk__in"
    if path == "" or path in _forward_fk_names(model):
        return Q(**{lookup: org_ids})
    # Through a many-valued relation a plain filter repeats rows; a subquery does not.
    return Q(pk__in=model._default_manager.filter(**{lookup: org_ids}).values("pk"))


def _forward_fk_names(model) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if f.many_to_one]
