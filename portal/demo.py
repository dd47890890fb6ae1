"""The demo world: NAV units, partners, employers and one account per role.

Written in the project's own words; later issues extend it with agreements, programmes and
news. Idempotent: running it twice changes nothing.
"""

from django.db import transaction
from django.utils.module_loading import import_string

from portal import registry
from portal.accounts import access, services
from portal.accounts.models import ROLE_FOR_KIND, Membership, Organisation, User
from portal.news import demo as news_demo

PASSWORD = "demo-passord-2026"
# Every demo account but the employer's logs in with a second factor, as the portal demands
# of them; this secret goes into any authenticator app (or oathtool --totp -b).
TOTP_SECRET = "JBSWY3DPEHPK3PXP"

K = Organisation.Kind
C = Organisation.Category

# (name, kind, organisation number with a valid MOD11 check digit, details)
ORGANISATIONS = [
    ("NAV Nordland", K.NAV_UNIT, "910000004", {"county": "18", "municipality": "Bodø"}),
    ("NAV Troms og Finnmark", K.NAV_UNIT, "910000012", {"county": "55", "municipality": "Tromsø"}),
    ("NAV Øvre Romerike", K.NAV_UNIT, "910000020", {"county": "32", "municipality": "Ullensaker"}),
    (
        "Næringsforum Gardermoen",
        K.PARTNER,
        "910000039",
        {
            "county": "32",
            "municipality": "Ullensaker",
            "category": C.BUSINESS_ASSOCIATION,
            "website": "https://naeringsforum-gardermoen.example.no",
            "description": "Medlemsforening for over 200 bedrifter rundt flyplassen, som vil "
            "skape flere arbeidsplasser og et sterkere lokalt næringsliv.",
        },
    ),
    (
        "Nordlysrittet AS",
        K.PARTNER,
        "910000047",
        {
            "county": "18",
            "municipality": "Bodø",
            "category": C.EVENT_ORGANISER,
            "website": "https://nordlysrittet.example.no",
            "description": "Arrangerer et etapperitt på sykkel gjennom Nord-Norge hver august, "
            "med store publikumsarrangementer i vertsbyene.",
        },
    ),
    ("Fjellvind Hotell AS", K.EMPLOYER, "910000055", {"county": "18", "municipality": "Bodø"}),
    (
        "Bodø Bygg og Anlegg AS",
        K.EMPLOYER,
        "910000063",
        {"county": "18", "municipality": "Bodø"},
    ),
    (
        "Romerike Logistikk AS",
        K.EMPLOYER,
        "910000071",
        {"county": "32", "municipality": "Ullensaker"},
    ),
    ("Kystkjøkkenet AS", K.EMPLOYER, "910000098", {"county": "55", "municipality": "Tromsø"}),
]

# (e-mail, full name, organisation or None, job title, superuser)
PEOPLE = [
    ("admin@example.no", "Ada Administrator", None, "", True),
    ("radgiver@example.no", "Rune Rådgiver", "NAV Nordland", "Markedskontakt", False),
    ("partner@example.no", "Pia Partner", "Nordlysrittet AS", "Prosjektleder", False),
    ("arbeidsgiver@example.no", "Arne Arbeidsgiver", "Fjellvind Hotell AS", "Daglig leder", False),
    # Not listed as demo logins, but there so that the world has colleagues in it.
    ("tove.radgiver@example.no", "Tove Trondsen", "NAV Troms og Finnmark", "Rådgiver", False),
    ("lars.radgiver@example.no", "Lars Lien", "NAV Øvre Romerike", "Markedskoordinator", False),
    ("gro.partner@example.no", "Gro Gardli", "Næringsforum Gardermoen", "Daglig leder", False),
]

# The leader of NAV Troms og Finnmark: renewal reminders nobody answered escalate to them.
LEADERS = {("tove.radgiver@example.no", "NAV Troms og Finnmark")}

ACCOUNTS = [
    ("admin@example.no", "admin"),
    ("radgiver@example.no", "NAV adviser, NAV Nordland"),
    ("partner@example.no", "partner staff, Nordlysrittet AS"),
    ("arbeidsgiver@example.no", "employer contact, Fjellvind Hotell AS"),
    ("redaktor@example.no", "editor (writes news in the admin site)"),
]


@transaction.atomic
def seed():
    from allauth.account.models import EmailAddress

    from .accounts.groups import groups_sync

    # The admin site's groups, as the data migration makes them (a flushed database has none).
    groups_sync()
    organisations = {}
    for name, kind, number, details in ORGANISATIONS:
        organisations[name], _ = Organisation.objects.get_or_create(
            org_number=number, defaults={"name": name, "kind": kind, **details}
        )
    for email, full_name, org_name, title, superuser in PEOPLE:
        user = User.objects.filter(email=email).first()
        if user is None:
            create = User.objects.create_superuser if superuser else User.objects.create_user
            user = create(email=email, password=PASSWORD, full_name=full_name)
        # Demo accounts need no e-mail round trip before their first login.
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        if org_name:
            organisation = organisations[org_name]
            Membership.objects.get_or_create(
                user=user,
                organisation=organisation,
                defaults={
                    "role": ROLE_FOR_KIND[organisation.kind],
                    "title": title,
                    "is_leader": (email, org_name) in LEADERS,
                },
            )
    news_demo.seed(password=PASSWORD)
    for user in User.objects.filter(
        email__in=[person[0] for person in PEOPLE] + [news_demo.EDITOR_EMAIL]
    ):
        if access.mfa_required(user):
            services.totp_enrol(user=user, secret=TOTP_SECRET)
    # The apps above the core add their part (portal.registry), in layer order.
    world = {"organisations": organisations, "people": {u.email: u for u in User.objects.all()}}
    for seeder in registry.demo_seeders():
        import_string(seeder.seed_path)(world)
