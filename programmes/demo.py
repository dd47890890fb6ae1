"""The demo programme under the Gardermoen agreement, its sessions and sign-ups.

Runs once: an existing programme means it was done.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from partnerships.models import Agreement

from .models import Programme, ProgrammeSession, SignUp

# Demo news articles (portal/news/demo.py) about the programme.
NEWS_ABOUT = {"naeringsforum-gardermoen-og-nav-opnar-dorer-for-unge": "JobbStart Gardermoen"}


def seed(world: dict) -> None:
    """A DemoSeeder in portal.registry, run after the agreements'."""
    if Programme.objects.exists():
        return
    orgs = world["organisations"]
    gardermoen = Agreement.objects.filter(title__startswith="Strategisk samarbeid om unge").first()
    if gardermoen is None:
        return
    today = timezone.localdate()
    programme = Programme.objects.create(
        agreement=gardermoen,
        title="JobbStart Gardermoen",
        description="Møteplasser for unge arbeidssøkere og medlemsbedrifter, vår og høst.",
        start_date=date(2026, 2, 1),
    )
    noon = time(12, 0)
    for days, title in [
        (-60, "Speeddating med bedrifter"),
        (-20, "Bedriftsbesøk på flyplassen"),
        (1, "Jobbmesse i Jessheim"),
        (30, "Møteplass: logistikk"),
    ]:
        ProgrammeSession.objects.create(
            programme=programme,
            title=title,
            starts_at=timezone.make_aware(datetime.combine(today + timedelta(days=days), noon)),
            location="Jessheim",
        )
    for name, status, jobs in [
        ("Romerike Logistikk AS", SignUp.Status.CONFIRMED, 3),
        ("Fjellvind Hotell AS", SignUp.Status.CONFIRMED, 1),
        ("Kystkjøkkenet AS", SignUp.Status.PENDING, 0),
    ]:
        SignUp.objects.create(
            programme=programme, employer=orgs[name], status=status, jobs_gained=jobs
        )
    _relate_demo_news()


def _relate_demo_news() -> None:
    from portal.news.models import Article

    for slug, title in NEWS_ABOUT.items():
        article = Article.objects.filter(slug=slug).first()
        if article is not None:
            for programme in Programme.objects.filter(title=title):
                programme.news_articles.add(article)
