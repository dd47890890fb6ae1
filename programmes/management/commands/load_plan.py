"""Prepare a load run (scripts/load/run): logged-in sessions and the addresses to visit.

It writes a JSON plan the locustfile reads, so the load tool needs neither Django nor the
login form (a TOTP code cannot be used twice, so 20 simulated users cannot all log in as
the same adviser). With --count it prints how many sign-ups the run's employers made, to
compare with the sign-up POSTs that succeeded.
"""

import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management.base import BaseCommand
from django.db.models import Count
from django.utils import timezone

from partnerships.models import Agreement
from portal.accounts.middleware import MFA_ENROLLED_KEY
from portal.accounts.models import Membership, Organisation, Role, User
from portal.accounts.services import totp_enrol
from portal.news.models import Article
from programmes.models import Programme, ProgrammeState, SignUp

LOAD_EMPLOYER = "last-arbeidsgiver-{}@example.no"


def _session_for(user) -> str:
    """A session as a login with password and TOTP leaves it."""
    totp_enrol(user=user, secret="JBSWY3DPEHPK3PXP")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[MFA_ENROLLED_KEY] = user.pk
    session.create()
    return session.session_key


class Command(BaseCommand):
    help = "Write the plan of a load run (sessions, addresses), or --count its sign-ups."

    def add_arguments(self, parser):
        parser.add_argument("--employers", type=int, default=40)
        parser.add_argument("--out", default=str(settings.VAR_DIR / "load" / "plan.json"))
        parser.add_argument("--count", action="store_true")

    def handle(self, *args, employers, out, count, **options):
        made = SignUp.objects.filter(signed_up_by__email__startswith="last-arbeidsgiver-")
        if count:
            self.stdout.write(f"sign-ups by the load run's employers: {made.count()}")
            return
        adviser = (
            User.objects.filter(
                memberships__role=Role.NAV_ADVISER, memberships__confirmed=True, is_active=True
            )
            .annotate(n=Count("responsible_agreements"))
            .order_by("-n")
            .first()
        )
        partner = User.objects.filter(
            memberships__role=Role.PARTNER_STAFF, memberships__confirmed=True, is_active=True
        ).first()
        unit = adviser.memberships.filter(role=Role.NAV_ADVISER).first().organisation
        open_programmes = list(
            Programme.objects.filter(
                state=ProgrammeState.OPEN, sessions__starts_at__gt=timezone.now()
            )
            .distinct()
            .order_by("pk")[:50]
        )
        companies = Organisation.objects.filter(kind=Organisation.Kind.EMPLOYER).order_by("pk")
        employer_sessions = []
        for number, company in enumerate(companies[:employers]):
            user, _ = User.objects.get_or_create(
                email=LOAD_EMPLOYER.format(number), defaults={"full_name": f"Last {number}"}
            )
            Membership.objects.get_or_create(
                user=user,
                organisation=company,
                defaults={"role": Role.EMPLOYER_CONTACT, "confirmed": True},
            )
            employer_sessions.append(_session_for(user))
        plan = {
            "cookie": settings.SESSION_COOKIE_NAME,
            "signups_before": made.count(),
            "adviser": _session_for(adviser),
            "partner": _session_for(partner) if partner else None,
            "employers": employer_sessions,
            "agreements": list(
                Agreement.objects.filter(responsible_adviser=adviser)
                .order_by("-pk")
                .values_list("reference", flat=True)[:200]
            ),
            "unit": unit.pk,
            "programmes": [programme.slug for programme in open_programmes],
            "articles": list(Article.objects.published().values_list("slug", flat=True)[:50]),
        }
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(json.dumps(plan, indent=1))
        self.stdout.write(
            f"plan: {out} (adviser {adviser.email}, {len(employer_sessions)} employers, "
            f"{len(open_programmes)} open programmes)"
        )
