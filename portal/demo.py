"""The demo world: NAV units, partners, employers and one account per role.

Written in the project's own words; later issues extend it with agreements, programmes and
news. Idempotent: running it twice changes nothing.
"""

from django.db import transaction

from portal.accounts.models import ROLE_FOR_KIND, Membership, Organisation, User
from portal.news import demo as news_demo

PASSWORD = "demo-passord-2026"

# (name, kind, organisation number with a valid MOD11 check digit)
ORGANISATIONS = [
    ("NAV Nordland", Organisation.Kind.NAV_UNIT, "910000004"),
    ("NAV Troms og Finnmark", Organisation.Kind.NAV_UNIT, "910000012"),
    ("NAV Øvre Romerike", Organisation.Kind.NAV_UNIT, "910000020"),
    ("Næringsforum Gardermoen", Organisation.Kind.PARTNER, "910000039"),
    ("Nordlysrittet AS", Organisation.Kind.PARTNER, "910000047"),
    ("Fjellvind Hotell AS", Organisation.Kind.EMPLOYER, "910000055"),
    ("Bodø Bygg og Anlegg AS", Organisation.Kind.EMPLOYER, "910000063"),
    ("Romerike Logistikk AS", Organisation.Kind.EMPLOYER, "910000071"),
    ("Kystkjøkkenet AS", Organisation.Kind.EMPLOYER, "910000098"),
]

# (e-mail, full name, organisation or None, job title, superuser)
PEOPLE = [
    ("admin@example.no", "Ada Administrator", None, "", True),
    ("radgiver@example.no", "Rune Rådgiver", "NAV Nordland", "Markedskontakt", False),
    ("partner@example.no", "Pia Partner", "Nordlysrittet AS", "Prosjektleder", False),
    ("arbeidsgiver@example.no", "Arne Arbeidsgiver", "Fjellvind Hotell AS", "Daglig leder", False),
]

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

    organisations = {}
    for name, kind, number in ORGANISATIONS:
        organisations[name], _ = Organisation.objects.get_or_create(
            org_number=number, defaults={"name": name, "kind": kind}
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
                defaults={"role": ROLE_FOR_KIND[organisation.kind], "title": title},
            )
    news_demo.seed(password=PASSWORD)
