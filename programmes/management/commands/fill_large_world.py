"""Fill the database with a world the size of a few years of live use, to measure pages on.

At --scale 1: 20 NAV units with 100 advisers, 500 partner organisations, 20,000 employers,
100,000 agreements (each with two parties, a goal and a follow-up activity) and about
1,000,000 history rows (one agreement alone has 2,000), 300 programmes with 3,000 sessions
and 100,000 sign-ups, 2,000 news articles and 100,000 sent reminders. --scale 0.1 makes a
tenth of everything (at least a few of each).

It writes rows, not through the services (their checks and history would take hours): on
PostgreSQL with COPY, elsewhere with bulk_create in batches, with ids it hands out itself,
then resets the id sequences and analyses the tables. It keeps what it wrote; run it on an
empty, migrated database (it refuses one that holds agreements). The adviser
`stor.radgiver@example.no` (password `stor-verden`, TOTP secret JBSWY3DPEHPK3PXP) belongs to
the first NAV unit and is responsible for a share of its agreements.
"""

import csv
import io
import json
import random
import time
from datetime import date, datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import GeneratedField
from django.utils import timezone

from partnerships.management.commands.benchmark_workspace import FILLER, WORDS
from partnerships.models import Activity, Agreement, AgreementParty, Goal
from portal.accounts.models import Membership, Organisation, Role, User
from portal.accounts.services import totp_enrol
from portal.accounts.validators import org_number_check_digit
from portal.news.models import Article
from portal.reminders.models import Reminder
from programmes.models import Programme, Session, SignUp

COUNTIES = ["03", "11", "15", "18", "31", "32", "33", "34", "39", "40", "42", "46", "50", "55"]
ADVISER_EMAIL = "stor.radgiver@example.no"
ADVISER_PASSWORD = "stor-verden"
TOTP_SECRET = "JBSWY3DPEHPK3PXP"
BATCH = 5000


def _csv_value(value):
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


class Writer:
    """Rows of one model as dicts of column values, written in batches; ids handed out here."""

    def __init__(self, model, stdout):
        self.model = model
        self.stdout = stdout
        self.fields = [f for f in model._meta.concrete_fields if not isinstance(f, GeneratedField)]
        self.columns = [f.column for f in self.fields]
        self.defaults = {f.attname: f.get_default() for f in self.fields}
        now = timezone.now()
        for f in self.fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.defaults[f.attname] = now
        pk = model._meta.pk.attname
        last = model._default_manager.order_by(f"-{pk}").values_list(pk, flat=True).first()
        self.next_id = (last or 0) + 1
        self.pk = pk
        self.buffer = []
        self.count = 0

    def add(self, **values) -> int:
        row = {**self.defaults, **values}
        if row.get(self.pk) is None:
            row[self.pk] = self.next_id
            self.next_id += 1
        self.buffer.append(row)
        if len(self.buffer) >= BATCH:
            self.flush()
        return row[self.pk]

    @staticmethod
    def _plain(field) -> bool:
        return field.get_internal_type() in {
            "AutoField",
            "BigAutoField",
            "CharField",
            "TextField",
            "EmailField",
            "SlugField",
            "IntegerField",
            "PositiveIntegerField",
            "PositiveSmallIntegerField",
            "PositiveBigIntegerField",
            "BigIntegerField",
            "ForeignKey",
        }

    def flush(self):
        if not self.buffer:
            return
        if connection.vendor == "postgresql":
            out = io.StringIO()
            writer = csv.writer(out, quoting=csv.QUOTE_NOTNULL)
            names = [f.attname for f in self.fields]
            # Only the columns of a type csv does not write as PostgreSQL reads it are converted.
            plain = {name for name, f in zip(names, self.fields, strict=True) if self._plain(f)}
            for row in self.buffer:
                writer.writerow(
                    [row[name] if name in plain else _csv_value(row[name]) for name in names]
                )
            out.seek(0)
            table = connection.ops.quote_name(self.model._meta.db_table)
            columns = ", ".join(connection.ops.quote_name(c) for c in self.columns)
            with connection.cursor() as cursor:
                cursor.cursor.copy_expert(
                    f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv)", out
                )
        else:
            # The columns COPY writes, and no more (a history row leaves out fields its model
            # does not keep, such as the reference's parts).
            names = [f.attname for f in self.fields]
            self.model._default_manager.bulk_create(
                [self.model(**{name: row[name] for name in names}) for row in self.buffer],
                batch_size=500,
            )
        self.count += len(self.buffer)
        self.buffer = []


class Command(BaseCommand):
    help = "Fills an empty database with a large world (100,000 agreements at --scale 1)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, scale, seed, **options):
        if Agreement.objects.exists():
            raise CommandError("The database holds agreements: fill an empty, migrated one.")
        self.rng = random.Random(seed)
        self.scale = scale
        self.writers = {}
        self.now = timezone.now()
        started = time.perf_counter()
        with transaction.atomic():
            for step in [
                self._organisations,
                self._users,
                self._agreements,
                self._programmes,
                self._news,
                self._reminders,
            ]:
                begun = time.perf_counter()
                step()
                for writer in self.writers.values():
                    writer.flush()
                self.stdout.write(f"{step.__name__[1:]:<14} {time.perf_counter() - begun:7.1f} s")
            self._reset_sequences()
        if connection.vendor == "postgresql":
            begun = time.perf_counter()
            # As autovacuum would by the time anyone looks: statistics for the planner, and
            # the visibility map that lets counts read an index alone.
            with connection.cursor() as cursor:
                # (VACUUM cannot run in a transaction, as in the tests.)
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
            self.stdout.write(f"{'vacuum':<14} {time.perf_counter() - begun:7.1f} s")
        for writer in self.writers.values():
            self.stdout.write(f"  {writer.model._meta.label:<36} {writer.count:>9,}")
        self.stdout.write(f"Filled in {time.perf_counter() - started:.1f} s")

    def n(self, full: int, least: int = 2) -> int:
        return max(least, round(full * self.scale))

    def w(self, model) -> Writer:
        if model not in self.writers:
            self.writers[model] = Writer(model, self.stdout)
        return self.writers[model]

    def _reset_sequences(self):
        if connection.vendor != "postgresql":
            return
        models = [*self.writers, Programme.organisers.through, Programme.agreements.through]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)

    # --- Organisations and people -----------------------------------------------------------

    def _org_numbers(self):
        taken = set(Organisation.objects.values_list("org_number", flat=True))
        for base in range(60000000, 99999999):
            check = org_number_check_digit(str(base))
            if check is not None and (number := f"{base}{check}") not in taken:
                yield number

    def _organisations(self):
        numbers = self._org_numbers()
        orgs = self.w(Organisation)
        rng = self.rng

        def add(kind, name, category=""):
            return orgs.add(
                name=name,
                kind=kind,
                org_number=next(numbers),
                category=category,
                county=rng.choice(COUNTIES),
                description=f"{name} arbeider med {rng.choice(WORDS)} og {rng.choice(WORDS)}.",
            )

        self.nav_units = [add("nav_unit", f"NAV Enhet {i}") for i in range(self.n(20))]
        self.partners = [
            add("partner", f"Partner {i} {rng.choice(WORDS).title()} AS", "business_association")
            for i in range(self.n(500))
        ]
        self.employers = [
            add("employer", f"Arbeidsgiver {i} {rng.choice(WORDS).title()} AS", "company")
            for i in range(self.n(20000))
        ]

    def _users(self):
        users, members = self.w(User), self.w(Membership)
        password = make_password(ADVISER_PASSWORD)
        self.advisers = []
        for i in range(self.n(100)):
            email = ADVISER_EMAIL if i == 0 else f"radgiver{i}@example.no"
            user = users.add(email=email, full_name=f"Rådgiver {i}", password=password)
            unit = self.nav_units[i % len(self.nav_units)]
            members.add(user_id=user, organisation_id=unit, role=Role.NAV_ADVISER)
            self.advisers.append(user)
        for i, partner in enumerate(self.partners):
            user = users.add(
                email=f"partner{i}@example.no", full_name=f"Partner {i}", password=password
            )
            members.add(user_id=user, organisation_id=partner, role=Role.PARTNER_STAFF)
        users.flush()
        members.flush()
        totp_enrol(user=User.objects.get(email=ADVISER_EMAIL), secret=TOTP_SECRET)

    # --- Agreements -------------------------------------------------------------------------

    def _agreements(self):
        rng = self.rng
        agreements, parties, goals, activities = (
            self.w(m) for m in (Agreement, AgreementParty, Goal, Activity)
        )
        history = {m: self.w(m.history.model) for m in (Agreement, AgreementParty, Goal, Activity)}
        statuses = ["draft", "negotiation", "active", "active", "active", "ended", "terminated"]
        self.signed = []
        count = self.n(100000, least=10)
        for i in range(count):
            year = 2020 + i % 7
            start = date(year, 1, 1) + timedelta(days=rng.randrange(360))
            end = start + timedelta(days=365 + rng.randrange(1500))
            status = rng.choice(statuses)
            # The first NAV unit's first adviser has a share of the first unit's agreements.
            adviser = self.advisers[i % len(self.advisers)]
            unit = self.nav_units[i % len(self.nav_units)]
            partner = rng.choice(self.partners)
            created = self.now - timedelta(days=2000 - i * 1500 // count, minutes=i % 600)
            values = {
                "reference": f"SA-{year}-{i:06d}",
                "reference_year": year,
                "reference_number": i,
                "title": f"Avtale {i} om {rng.choice(WORDS)} og {rng.choice(WORDS)}",
                "purpose": " ".join(
                    [*(rng.choice(WORDS) for _ in range(3)), *FILLER[i % 50 : i % 50 + 20]]
                ),
                "focus_areas": [rng.choice(["inclusion", "recruitment", "competence"])],
                "start_date": start,
                "responsible_adviser_id": adviser,
                "created_at": created,
            }
            # Its life in the history: registered as a draft, negotiated, its end moved.
            steps = [("+", {"status": "draft", "end_date": end - timedelta(days=90)})]
            steps.append(("~", {"status": "negotiation", "end_date": end - timedelta(days=90)}))
            steps.append(("~", {"status": status, "end_date": end - timedelta(days=90)}))
            steps.append(("~", {"status": status, "end_date": end}))
            if i == 0:  # one agreement with a long history (the history pages are paged)
                steps += [
                    ("~", {"status": status, "end_date": end + timedelta(days=1 + k % 2)})
                    for k in range(1995)
                ] + [("~", {"status": status, "end_date": end})]
            agreement = agreements.add(
                **values, status=status, end_date=end, version=len(steps), updated_at=created
            )
            for k, (kind, change) in enumerate(steps):
                history[Agreement].add(
                    id=agreement,
                    **values,
                    **change,
                    history_date=created + timedelta(hours=k),
                    history_type=kind,
                    history_user_id=adviser,
                    history_change_reason="",
                    version=k + 1,
                )
            if status in ("active", "ended"):
                self.signed.append(agreement)
            for organisation in (unit, partner):
                party = parties.add(agreement_id=agreement, organisation_id=organisation)
                history[AgreementParty].add(
                    id=party,
                    agreement_id=agreement,
                    organisation_id=organisation,
                    history_date=created,
                    history_type="+",
                    history_user_id=adviser,
                    history_change_reason="",
                )
            goal_values = {
                "agreement_id": agreement,
                "text": f"Få {10 + i % 40} i arbeid innen {rng.choice(WORDS)}",
                "target": 10 + i % 40,
                "measure": "manual",
            }
            goal = goals.add(**goal_values, reached_manual=i % 30)
            for k, reached in enumerate([0, i % 30]):
                history[Goal].add(
                    id=goal,
                    **goal_values,
                    reached_manual=reached,
                    history_date=created + timedelta(days=k * 30),
                    history_type="~" if k else "+",
                    history_user_id=adviser,
                    history_change_reason="",
                )
            done = self.now - timedelta(days=i % 100) if i % 2 else None
            activity_values = {
                "agreement_id": agreement,
                "kind": "meeting",
                "title": f"Oppfølgingsmøte {i}",
                "due_date": self.now.date() + timedelta(days=i % 200 - 100),
                "responsible_id": adviser,
                "notes": "",
            }
            activity = activities.add(**activity_values, done_at=done)
            for k, done_at in enumerate([None, done]):
                history[Activity].add(
                    id=activity,
                    **activity_values,
                    done_at=done_at,
                    history_date=created + timedelta(days=1 + k * 40),
                    history_type="~" if k else "+",
                    history_user_id=adviser,
                    history_change_reason="",
                )

    # --- Programmes -------------------------------------------------------------------------

    def _programmes(self):
        rng = self.rng
        programmes, sessions, signups = (self.w(m) for m in (Programme, Session, SignUp))
        organisers = self.w(Programme.organisers.through)
        linked = self.w(Programme.agreements.through)
        count = self.n(300)
        per_programme = 10
        signups_per_session = min(
            len(self.employers), max(1, round(self.n(100000) / (count * per_programme)))
        )
        today = self.now.date()
        for i in range(count):
            start = today + timedelta(days=i % 300 - 150)
            programme = programmes.add(
                title=f"Jobbmesse {i} for {rng.choice(WORDS)}",
                slug=f"jobbmesse-{i}",
                description=f"Møt arbeidssøkere innen {rng.choice(WORDS)}.",
                target_group="Unge arbeidssøkere",
                county=rng.choice(COUNTIES),
                start_date=start,
                end_date=start + timedelta(days=60),
                state="open" if i % 3 else "completed",
                offer_kinds=["internship"],
            )
            organisers.add(
                programme_id=programme, organisation_id=self.nav_units[i % len(self.nav_units)]
            )
            if self.signed:
                linked.add(programme_id=programme, agreement_id=self.signed[i % len(self.signed)])
            for s in range(per_programme):
                starts = timezone.make_aware(
                    datetime.combine(start + timedelta(days=s * 5), datetime.min.time())
                ) + timedelta(hours=10)
                session = sessions.add(
                    programme_id=programme,
                    title=f"Samling {s + 1}",
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=3),
                    address="Storgata 1, Oslo",
                    capacity=signups_per_session + 10,
                )
                offset = (i * per_programme + s) * 7
                for k in range(signups_per_session):
                    employer = self.employers[(offset + k) % len(self.employers)]
                    signups.add(
                        session_id=session,
                        employer_id=employer,
                        contact_name=f"Kontakt {k}",
                        contact_phone="12345678",
                        contact_email=f"kontakt{k}@example.no",
                        sector="retail",
                        consent_to_contact=True,
                        status="confirmed" if k % 4 else "pending",
                        created_at=starts - timedelta(days=20, minutes=k),
                    )

    # --- News and reminders -----------------------------------------------------------------

    def _news(self):
        articles = self.w(Article)
        related = self.w(Article.related_organisations.through)
        for i in range(self.n(2000)):
            published = self.now - timedelta(hours=i * 6)
            body = f"Nytt samarbeid om {self.rng.choice(WORDS)} i fylket."
            article = articles.add(
                title=f"Nyhet {i} om {self.rng.choice(WORDS)}",
                slug=f"nyhet-{i}",
                lead="Kort om saken.",
                body=body,
                body_html=f"<p>{body}</p>",
                author_id=self.advisers[i % len(self.advisers)],
                state="published",
                published_at=published,
                created_at=published,
                updated_at=published,
            )
            related.add(article_id=article, organisation_id=self.partners[i % len(self.partners)])

    def _reminders(self):
        reminders = self.w(Reminder)
        agreement_type = ContentType.objects.get_for_model(Agreement).pk
        first = Agreement.objects.order_by("pk").values_list("pk", flat=True).first()
        count = self.n(100000)
        for i in range(count):
            sent = self.now - timedelta(minutes=i * 10)
            recipient = self.advisers[i % len(self.advisers)]
            reminders.add(
                key=f"agreement_ending:partnerships.agreement.{first + i}:u{recipient}:30",
                rule="agreement_ending",
                category="agreements",
                recipient_id=recipient,
                email=f"radgiver{i % len(self.advisers)}@example.no",
                target_type_id=agreement_type,
                target_id=first + i,
                occasion="30",
                subject=f"Avtale {i} slutter om 30 dager",
                status="sent",
                attempts=1,
                not_before=sent,
                sent_at=sent,
                created_at=sent,
            )
