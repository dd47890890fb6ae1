"""Demo programmes: a WorkOP-style series of meeting places at Gardermoen, and one around the
cycle race in the north, with sessions, sign-ups in every state and some results.

Written anew for the demo world. Runs once: an existing programme means it was done.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from partnerships.models import Agreement

from .models import OfferKind, Programme, Session, SessionResult, SignUp

# Demo news articles (portal/news/demo.py) about the programmes.
NEWS_ABOUT = {"naeringsforum-gardermoen-og-nav-opnar-dorer-for-unge": "JobbStart Gardermoen"}

S = SignUp.Status


def _at(day: date, hour: int, minute: int = 0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _session(programme, title, day, address, capacity, description=""):
    return Session.objects.create(
        programme=programme,
        title=title,
        starts_at=_at(day, 10),
        ends_at=_at(day, 14),
        address=address,
        capacity=capacity,
        description=description,
    )


def _signup(session, employer, status, who, **offers):
    return SignUp.objects.create(
        session=session,
        employer=employer,
        status=status,
        contact_name=who,
        contact_phone="+47 900 00 000",
        contact_email=f"{who.split()[0].lower()}@{employer.org_number}.example.no",
        sector=offers.pop("sector", "other"),
        consent_to_contact=True,
        # Signed up some days before the session, or before today for sessions ahead.
        created_at=min(session.starts_at, timezone.now())
        - timedelta(days=offers.pop("days_before", 14)),
        **offers,
    )


def seed(world: dict) -> None:
    """A DemoSeeder in portal.registry, run after the agreements'."""
    if Programme.objects.exists():
        return
    orgs = world["organisations"]
    today = timezone.localdate()
    gardermoen = Agreement.objects.filter(title__startswith="Strategisk samarbeid om unge").first()
    nordlys = Agreement.objects.filter(title__startswith="Nordlysrittet som plattform").first()
    if gardermoen is None or nordlys is None:
        return

    jobbstart = Programme.objects.create(
        title="JobbStart Gardermoen",
        slug="jobbstart-gardermoen",
        description=(
            "Møteplasser der medlemsbedriftene i næringsforumet treffer arbeidssøkere mellom "
            "16 og 30 år. Bedriftene forteller om hverdagen sin, unge får prøve seg, og "
            "samtalene fører til praksisplasser og faste jobber."
        ),
        target_group="Unge arbeidssøkere 16–30 år",
        county="32",
        start_date=date(today.year, 1, 15),
        end_date=today + timedelta(days=150),
        signup_deadline=today + timedelta(days=90),
        state=Programme.State.OPEN,
        offer_kinds=[
            OfferKind.INTERNSHIP,
            OfferKind.JOB,
            OfferKind.MENTORING,
            OfferKind.COMPANY_VISIT,
            OfferKind.TALK,
        ],
    )
    jobbstart.organisers.set([orgs["Næringsforum Gardermoen"], orgs["NAV Øvre Romerike"]])
    jobbstart.agreements.set([gardermoen])
    place = "Gardermoen Næringspark, Jessheim"
    held = _session(jobbstart, "Speeddating med bedrifter", today - timedelta(days=40), place, 12)
    visit = _session(jobbstart, "Bedriftsbesøk på flyplassen", today - timedelta(days=12), place, 8)
    tomorrow = _session(
        jobbstart,
        "Jobbmesse i Jessheim",
        today + timedelta(days=1),
        "Jessheim kulturhus",
        15,
        "Stands, korte samtaler og intervjuer på stedet.",
    )
    full = _session(jobbstart, "Møteplass: logistikk", today + timedelta(days=21), place, 2)
    _session(jobbstart, "Møteplass: reiseliv og servering", today + timedelta(days=45), place, 10)

    fjellvind = orgs["Fjellvind Hotell AS"]
    logistikk = orgs["Romerike Logistikk AS"]
    bygg = orgs["Bodø Bygg og Anlegg AS"]
    kjokken = orgs["Kystkjøkkenet AS"]
    _signup(held, logistikk, S.ATTENDED, "Lise Lager", job_openings=3, sector="transport")
    _signup(
        held, fjellvind, S.ATTENDED, "Arne Arbeidsgiver", internship_places=2, sector="hospitality"
    )
    _signup(held, bygg, S.NO_SHOW, "Bjørn Bygg", internship_places=1, sector="construction")
    _signup(visit, logistikk, S.ATTENDED, "Lise Lager", company_visit=True, sector="transport")
    _signup(
        tomorrow,
        fjellvind,
        S.CONFIRMED,
        "Arne Arbeidsgiver",
        internship_places=2,
        job_openings=1,
        sector="hospitality",
    )
    _signup(
        tomorrow, kjokken, S.PENDING, "Kari Kokk", mentors=1, sector="hospitality", days_before=4
    )
    _signup(tomorrow, bygg, S.DECLINED, "Bjørn Bygg", internship_places=1, sector="construction")
    _signup(full, logistikk, S.CONFIRMED, "Lise Lager", job_openings=2, sector="transport")
    _signup(full, bygg, S.PENDING, "Bjørn Bygg", internship_places=1, sector="construction")
    _signup(full, kjokken, S.WAITING, "Kari Kokk", internship_places=1, sector="hospitality")
    _signup(full, fjellvind, S.CANCELLED, "Arne Arbeidsgiver", job_openings=1, sector="hospitality")
    SessionResult.objects.create(
        session=held,
        young_people_met=34,
        interviews=9,
        internships_started=4,
        permanent_jobs=2,
        temporary_jobs=1,
    )
    SessionResult.objects.create(
        session=visit,
        young_people_met=18,
        interviews=3,
        internships_started=2,
        permanent_jobs=1,
    )

    sommer = Programme.objects.create(
        title="Sommerjobb på Nordlysrittet",
        slug="sommerjobb-nordlysrittet",
        description=(
            "Rittet trenger folk til rigging, servering og logistikk i vertsbyene. Bedrifter "
            "som leverer til arrangementet tar imot unge arbeidssøkere på sommerjobb og "
            "praksis, med NAV som støtte underveis."
        ),
        target_group="Unge arbeidssøkere 18–30 år i Nordland og Troms",
        county="18",
        start_date=today + timedelta(days=30),
        end_date=today + timedelta(days=260),
        state=Programme.State.OPEN,
        offer_kinds=[OfferKind.INTERNSHIP, OfferKind.JOB],
    )
    sommer.organisers.set([orgs["Nordlysrittet AS"], orgs["NAV Nordland"]])
    sommer.agreements.set([nordlys])
    kickoff = _session(
        sommer,
        "Oppstartsmøte i Bodø",
        today + timedelta(days=35),
        "Stormen, Bodø",
        20,
        "Rittet presenterer jobbene, og bedriftene møter kandidatene.",
    )
    _signup(
        kickoff,
        bygg,
        S.PENDING,
        "Bjørn Bygg",
        internship_places=2,
        sector="construction",
        days_before=3,
    )
    _relate_demo_news()


def _relate_demo_news() -> None:
    from portal.news.models import Article

    for slug, title in NEWS_ABOUT.items():
        article = Article.objects.filter(slug=slug).first()
        if article is not None:
            for programme in Programme.objects.filter(title=title):
                programme.news_articles.add(article)
