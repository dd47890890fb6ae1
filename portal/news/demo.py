"""News for the demo world: an editor and a handful of articles written for it.

Called by portal.demo.seed(). Idempotent: accounts and articles are found by e-mail and
slug, and left as they are when they exist.
"""

from datetime import timedelta
from io import BytesIO

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFilter

from portal.accounts.models import Organisation, User

from . import services
from .models import Article

EDITOR_EMAIL = "redaktor@example.no"
EDITOR_NAME = "Rita Redaktør"

# (slug, language, state, days from now it was/will be public, organisations, photo,
#  title, lead, body); a draft has no date.
ARTICLES = [
    (
        "nordlysrittet-og-nav-sammen-om-flere-i-jobb",
        "nb",
        Article.State.PUBLISHED,
        -12,
        ["Nordlysrittet AS", "NAV Nordland", "NAV Troms og Finnmark"],
        True,
        "Nordlysrittet og NAV går sammen om flere i jobb",
        "Sykkelrittet Nordlysrittet og NAV i Nord-Norge har skrevet under en samarbeidsavtale. "
        "Målet er at flere arbeidsgivere langs løypa åpner døren for folk som står utenfor "
        "arbeidslivet.",
        """Hvert år samler Nordlysrittet tusenvis av tilskuere og hundrevis av frivillige langs
veiene i Nordland og Troms. Nå skal rittet også brukes til å skaffe folk jobb.

## Mer enn et sykkelritt

– Vi kjenner bedriftene i hver eneste kommune vi sykler gjennom. Når vi kan bruke det
nettverket til å hjelpe noen inn i arbeidslivet, gjør vi det gjerne, sier daglig leder
Ingrid Solbakken i Nordlysrittet AS.

Avtalen gir NAV plass på rittets arrangementer for næringslivet. Der skal NAV-veiledere
fortelle arbeidsgivere om lønnstilskudd, mentorordningen og hvordan en arbeidstrening
foregår i praksis.

## Dette skal samarbeidet gi

- møteplasser mellom arbeidsgivere og arbeidssøkere i etappebyene
- sommerjobber og arbeidstrening i rittets egen organisasjon
- en felles oversikt over hvor mange som har fått jobb, som begge parter følger opp

– Mange arbeidsgivere vil bidra, men vet ikke hvor de skal begynne. Rittet gir oss en
naturlig inngang, sier markedskontakt Rune Rådgiver i NAV Nordland.

Les mer om ordningene på [nav.no](https://www.nav.no/arbeidsgiver).""",
    ),
    (
        "naeringsforum-gardermoen-og-nav-opnar-dorer-for-unge",
        "nn",
        Article.State.PUBLISHED,
        -5,
        ["Næringsforum Gardermoen", "NAV Øvre Romerike", "Romerike Logistikk AS"],
        False,
        "Næringsforum Gardermoen og NAV opnar dører for unge",
        "Ein ny avtale mellom Næringsforum Gardermoen og NAV Øvre Romerike skal gje unge "
        "arbeidssøkjarar møte med verksemder som treng folk.",
        """Rundt flyplassen ligg hundrevis av verksemder som manglar folk, medan mange unge i
regionen går utan jobb. Den nye samarbeidsavtalen skal byggje bru mellom dei.

## Bedriftsbesøk og hospitering

Næringsforumet inviterer medlemene sine til å ta imot unge på bedriftsbesøk og korte
hospiteringar. NAV Øvre Romerike finn kandidatane og følgjer dei opp undervegs.

> Vi treng fleire hender innan logistikk, og vi veit at mange unge ikkje har sett kva
> jobbane våre faktisk går ut på. – Romerike Logistikk AS

Dei første samlingane blir haldne i haust. Verksemder som vil vere med, kan melde seg
til næringsforumet.""",
    ),
    (
        "hotels-and-kitchens-in-the-north-offer-trial-placements",
        "en",
        Article.State.PUBLISHED,
        -2,
        ["Fjellvind Hotell AS", "Kystkjøkkenet AS", "NAV Troms og Finnmark"],
        False,
        "Hotels and kitchens in the north offer trial placements",
        "Fjellvind Hotell and Kystkjøkkenet will take on job seekers for paid trial placements "
        "this season, with NAV Troms og Finnmark following each placement up.",
        """Hospitality in the north needs more people every summer. Two employers in the
portal have now offered trial placements to job seekers who have been out of work for a
while.

## How it works

1. NAV proposes candidates who want to work in hotels or kitchens.
2. The employer meets each candidate before the placement starts.
3. A NAV adviser checks in during the first weeks, with the employer and the candidate.

Employers who want to join can sign up for the programme in the portal.""",
    ),
    (
        "jobbmesse-pa-byggeplassen-i-bodo",
        "nb",
        Article.State.SCHEDULED,
        7,
        ["Bodø Bygg og Anlegg AS", "NAV Nordland"],
        False,
        "Jobbmesse på byggeplassen i Bodø",
        "Bodø Bygg og Anlegg AS og NAV Nordland inviterer arbeidssøkere til en åpen dag på "
        "byggeplassen, med omvisning og korte intervjuer.",
        """Bransjen trenger fagarbeidere og lærlinger. På den åpne dagen kan arbeidssøkere
prøve verktøy, snakke med formenn og ta en prat med NAV om kurs og lærlingeløp.

Ta med godt fottøy. Verneutstyr får du på stedet.""",
    ),
    (
        "forste-halvar-med-nordlysrittet-avtalen",
        "nb",
        Article.State.DRAFT,
        None,
        ["Nordlysrittet AS", "NAV Nordland"],
        False,
        "Første halvår med Nordlysrittet-avtalen",
        "Et halvt år etter at avtalen ble signert, gjør Nordlysrittet og NAV opp status.",
        """Utkast – tallene kommer fra NAV Nordland.

## Resultater så langt

- antall arbeidsgivere som har deltatt: *fyll inn*
- antall personer i arbeidstrening: *fyll inn*
- antall som har fått jobb: *fyll inn*""",
    ),
]


def seed(*, password: str) -> None:
    editor = _editor(password)
    organisations = {o.name: o for o in Organisation.objects.all()}
    now = timezone.now()
    for slug, language, state, days, org_names, photo, title, lead, body in ARTICLES:
        if Article.objects.filter(slug=slug).exists():
            continue
        when = now + timedelta(days=days) if days is not None else None
        article = Article(
            slug=slug,
            language=language,
            state=state,
            title=title,
            lead=lead,
            body=body,
            author=editor,
            publish_at=when if state == Article.State.SCHEDULED else None,
            published_at=when if state == Article.State.PUBLISHED else None,
        )
        if photo:
            article.photo = ContentFile(_aurora_jpeg(), name="nordlysrittet.jpg")
            article.photo_alt = (
                "Syklister i en lang rekke på en kystvei under grønt nordlys og mørke fjell."
            )
            article.photo_caption = "Nordlysrittet går gjennom kommuner i Nordland og Troms."
            article.photo_credit = "Nordlysrittet AS (illustrasjon)"
        article.save()
        article.related_organisations.set(
            [organisations[name] for name in org_names if name in organisations]
        )
        if state == Article.State.PUBLISHED:
            # As if written when published, so the page shows no later "updated" date.
            Article.objects.filter(pk=article.pk).update(created_at=when, updated_at=when)


def _editor(password: str) -> User:
    from allauth.account.models import EmailAddress

    user = User.objects.filter(email=EDITOR_EMAIL).first()
    if user is None:
        user = User.objects.create_user(
            email=EDITOR_EMAIL, password=password, full_name=EDITOR_NAME
        )
    EmailAddress.objects.get_or_create(
        user=user, email=EDITOR_EMAIL, defaults={"verified": True, "primary": True}
    )
    services.editor_add(user=user)
    return user


def _aurora_jpeg(width: int = 2000, height: int = 1125) -> bytes:
    """A made-up photo: northern lights over dark mountains and a coast road with riders."""
    sky = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(sky)
    for y in range(height):
        t = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=(int(8 + 20 * t), int(16 + 40 * t), int(48 + 50 * t)),
        )
    glow = Image.new("RGB", (width, height))
    glow_draw = ImageDraw.Draw(glow)
    for i, colour in enumerate([(60, 220, 140), (90, 255, 170), (140, 120, 220)]):
        top = 160 + i * 90
        points = [
            (x, top + int(80 * ((x / width * 6 + i) % 2 - 1) ** 2))
            for x in range(0, width + 100, 100)
        ]
        glow_draw.line(points, fill=colour, width=60 - i * 15)
    glow = glow.filter(ImageFilter.GaussianBlur(40))
    image = Image.blend(sky, glow, 0.45)
    draw = ImageDraw.Draw(image)
    draw.polygon(
        [
            (0, 760),
            (300, 560),
            (520, 700),
            (820, 480),
            (1100, 690),
            (1420, 520),
            (1700, 720),
            (2000, 600),
            (2000, height),
            (0, height),
        ],
        fill=(14, 20, 30),
    )
    draw.rectangle([(0, 930), (width, 990)], fill=(45, 48, 56))
    for x in range(180, 1900, 170):
        draw.ellipse([(x, 900), (x + 36, 936)], outline=(230, 230, 230), width=5)
        draw.ellipse([(x + 60, 900), (x + 96, 936)], outline=(230, 230, 230), width=5)
        draw.line([(x + 18, 918), (x + 48, 880), (x + 78, 918)], fill=(200, 60, 60), width=6)
        draw.ellipse([(x + 38, 846), (x + 58, 866)], fill=(240, 200, 60))
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()
