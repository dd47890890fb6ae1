"""Demo agreements in every state, with goals, programmes, follow-ups and a document.

Written anew for the demo world. Runs once: an existing agreement means it was done.
"""

from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from . import services
from .models import Agreement, ContactPerson, Goal
from .services import PartyInput

# A one-page PDF, small enough to keep in code.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def seed(world: dict) -> None:
    """The demo agreements, and the news about them (a DemoSeeder in portal.registry)."""
    seed_agreements(world["organisations"], world["people"])
    relate_demo_news()


def seed_agreements(orgs: dict, people: dict) -> None:
    if Agreement.objects.exists():
        return
    today = timezone.localdate()
    rune = people["radgiver@example.no"]
    tove = people["tove.radgiver@example.no"]
    lars = people["lars.radgiver@example.no"]

    contacts = {
        "nordlys": ContactPerson.objects.create(
            organisation=orgs["Nordlysrittet AS"],
            name="Pia Partner",
            title="Prosjektleder",
            email="partner@example.no",
            phone="+47 400 00 001",
        ),
        "forum": ContactPerson.objects.create(
            organisation=orgs["Næringsforum Gardermoen"],
            name="Gro Gardli",
            title="Daglig leder",
            email="gro.partner@example.no",
            phone="+47 400 00 002",
        ),
    }

    def create(user, parties, goals=(), **data):
        return services.agreement_create(
            user=user,
            data={"responsible_adviser": user, **data},
            parties=parties,
            goals=goals,
        )

    def move(agreement, user, *names):
        for name in names:
            agreement = services.agreement_transition(agreement=agreement, user=user, name=name)
        return agreement

    # 1. The northern agreement: two NAV county units and the cycle race, signed in 2020.
    nordlys = create(
        rune,
        [
            PartyInput(
                orgs["NAV Nordland"],
                [{"name": "Solveig Strand", "title": "Direktør", "signed_on": date(2020, 11, 18)}],
            ),
            PartyInput(
                orgs["NAV Troms og Finnmark"],
                [{"name": "Gunnar Hætta", "title": "Direktør", "signed_on": date(2020, 11, 18)}],
            ),
            PartyInput(
                orgs["Nordlysrittet AS"],
                [{"name": "Kari Dybvik", "title": "Daglig leder", "signed_on": date(2020, 11, 18)}],
            ),
        ],
        goals=[
            {
                "text": "Arbeidsgivere som melder seg på",
                "target": 40,
                "measure": "employers_signed_up",
            },
            {"text": "Stands og møteplasser under rittet", "target": 6, "measure": "sessions_held"},
            {"text": "Personer som får jobb", "target": 15, "measure": "jobs_gained"},
        ],
        title="Nordlysrittet som plattform for inkludering",
        purpose="Færre skal stå utenfor arbeidslivet i Nord-Norge. Sykkelrittet gir NAV en "
        "arena for å nå arbeidsgivere i vertsbyene, som skal få vite hvordan de kan ansette "
        "folk som trenger en fot innenfor.",
        focus_areas=["inclusion", "recruitment"],
        start_date=date(2020, 11, 19),
        end_date=today + timedelta(days=45),
        notice_period_months=3,
        partner_contact=contacts["nordlys"],
    )
    move(nordlys, rune, "negotiate", "activate")

    # 2. The business association and its youth programme.
    gardermoen = create(
        rune,
        [
            PartyInput(
                orgs["NAV Øvre Romerike"],
                [
                    {
                        "name": "Lars Lien",
                        "title": "Markedskoordinator",
                        "signed_on": date(2025, 9, 1),
                    }
                ],
            ),
            PartyInput(
                orgs["Næringsforum Gardermoen"],
                [{"name": "Gro Gardli", "title": "Daglig leder", "signed_on": date(2025, 9, 1)}],
            ),
        ],
        goals=[
            {"text": "Unge jobbsøkere som får fast jobb", "target": 10, "measure": "jobs_gained"},
            {"text": "Møteplasser i året", "target": 8, "measure": "sessions_held"},
            {"text": "Medlemsbedrifter som tar imot praksis", "target": 25, "reached_manual": 9},
        ],
        title="Strategisk samarbeid om unge arbeidssøkere i Gardermoregionen",
        purpose="NAV og næringsforumet skal sammen skape møteplasser der medlemsbedriftene "
        "treffer arbeidssøkere mellom 16 og 30 år, og åpne dører til praksis og faste jobber.",
        focus_areas=["youth_employment", "recruitment", "innovation"],
        start_date=date(2025, 9, 1),
        end_date=date(2027, 8, 31),
        notice_period_months=6,
        partner_contact=contacts["forum"],
    )
    move(gardermoen, rune, "negotiate", "activate")
    services.document_upload(
        agreement=gardermoen,
        user=rune,
        title="Signert samarbeidsavtale",
        kind="signed_agreement",
        file=ContentFile(DEMO_PDF, name="samarbeidsavtale-gardermoen.pdf"),
    )

    # 3.-7. One agreement in each remaining state; the demo adviser holds most of them.
    draft = create(
        rune,
        [PartyInput(orgs["NAV Nordland"]), PartyInput(orgs["Nordlysrittet AS"])],
        title="Sommerjobb for ungdom under rittet",
        purpose="Utkast: ungdom fra NAV får sommerjobb i arrangementsstaben.",
        focus_areas=["youth_employment"],
        start_date=today + timedelta(days=60),
    )
    negotiation = create(
        rune,
        [PartyInput(orgs["NAV Nordland"]), PartyInput(orgs["Næringsforum Gardermoen"])],
        title="Kompetanseløft for reiselivet i Bodø",
        purpose="Kurs og praksis for arbeidssøkere som vil inn i reiselivsnæringen.",
        focus_areas=["competence", "inclusion"],
        start_date=today + timedelta(days=20),
        end_date=today + timedelta(days=385),
    )
    move(negotiation, rune, "negotiate")
    ended = create(
        rune,
        [PartyInput(orgs["NAV Nordland"]), PartyInput(orgs["Nordlysrittet AS"])],
        title="Rekruttering til arrangementet 2023",
        purpose="Rekruttering av frivillige og vikarer via NAV til rittet i 2023.",
        focus_areas=["recruitment"],
        start_date=date(2023, 3, 1),
        end_date=date(2023, 9, 30),
    )
    move(ended, rune, "negotiate", "activate", "end")
    terminated = create(
        tove,
        [PartyInput(orgs["NAV Troms og Finnmark"]), PartyInput(orgs["Nordlysrittet AS"])],
        title="Mangfold i frivilligstaben",
        purpose="Prøveprosjekt som ble avsluttet da rittet flyttet etappen.",
        focus_areas=["diversity"],
        start_date=date(2024, 4, 1),
        end_date=date(2026, 3, 31),
    )
    move(terminated, tove, "negotiate", "activate", "terminate")
    ending = create(
        lars,
        [PartyInput(orgs["NAV Øvre Romerike"]), PartyInput(orgs["Næringsforum Gardermoen"])],
        title="Innovasjonsverksted for inkludering",
        purpose="Felles verksted der bedrifter og NAV prøver nye måter å rekruttere på.",
        focus_areas=["innovation", "inclusion"],
        start_date=date(2025, 1, 1),
        # Within a week of its end: run_reminders right after seed_demo has something to
        # send (partnerships/reminders.py), to the adviser and the partner's contact.
        end_date=today + timedelta(days=5),
        partner_contact=contacts["forum"],
    )
    move(ending, lars, "negotiate", "activate")
    Goal.objects.create(agreement=draft, text="Sommerjobber", target=10)

    # Follow-ups: one overdue (a reminder is due at once), one due this week, one done.
    for agreement, kind, title, days, who, done in [
        (nordlys, "meeting", "Evalueringsmøte med rittledelsen", -3, rune, False),
        (gardermoen, "report", "Halvårsrapport til styret", 5, rune, False),
        (gardermoen, "event", "Planlegge høstens møteplasser", 12, lars, False),
        (gardermoen, "phone_call", "Oppfølging av nye medlemsbedrifter", -15, rune, True),
        (negotiation, "meeting", "Forhandlingsmøte", 7, rune, False),
    ]:
        activity = services.activity_create(
            agreement=agreement,
            user=who,
            data={
                "kind": kind,
                "title": title,
                "due_date": today + timedelta(days=days),
                "responsible": who,
                "notes": "",
            },
        )
        if done:
            services.activity_mark_done(activity=activity, user=who)


# Demo news articles (portal/news/demo.py) and the agreements they are about.
NEWS_ABOUT = {
    "nordlysrittet-og-nav-sammen-om-flere-i-jobb": "Nordlysrittet som plattform",
    "forste-halvar-med-nordlysrittet-avtalen": "Nordlysrittet som plattform",
    "naeringsforum-gardermoen-og-nav-opnar-dorer-for-unge": "Strategisk samarbeid om unge",
}


def relate_demo_news() -> None:
    from portal.news.models import Article

    for slug, agreement_title in NEWS_ABOUT.items():
        article = Article.objects.filter(slug=slug).first()
        agreement = Agreement.objects.filter(title__startswith=agreement_title).first()
        if article is not None and agreement is not None:
            agreement.news_articles.add(article)
