"""A load run over each role's main pages (scripts/load/run starts it; docs/BENCHMARKS.md
has the figures). It reads the plan `manage.py load_plan` wrote: logged-in sessions and
the addresses to visit. /ping/ is the ceiling: a bare view through the same server.
"""

import json
import os
import random
from html.parser import HTMLParser
from itertools import count
from pathlib import Path

from locust import HttpUser, between, constant, events, task
from urllib3.util.retry import Retry

PLAN = json.loads(Path(os.environ.get("LOAD_PLAN", "var/load/plan.json")).read_text())
SEARCHES = ["rekrutering", "arbeidsgiver", "inkludering", "sommerjobb", "WorkOP"]


LOGGED_IN_FLOOR = "logged-in floor (redirect)"

# One page at a time, as fast as it goes (scripts/load/run's per-page runs): its throughput
# and latencies beside the bare view's.
PAGES = {
    "bare view (ceiling)": lambda: "/ping/",
    # The lightest logged-in request: the session and the user read, a redirect to the start
    # page (not followed). What every logged-in page costs before its own work.
    LOGGED_IN_FLOOR: lambda: "/start/",
    "front page": lambda: "/",
    "news list": lambda: "/news/",
    "news article": lambda: f"/news/{random.choice(PLAN['articles'])}/",
    "news feed": lambda: "/news/feed/",
    "programme catalogue": lambda: "/programmes/",
    "programme page": lambda: f"/programmes/{random.choice(PLAN['programmes'])}/",
    "dashboard": lambda: "/dashboard/",
    "agreement list, filtered": lambda: "/agreements/?scope=all&status=active&sort=end_date",
    "agreement list, searched": lambda: f"/agreements/?scope=all&q={random.choice(SEARCHES)}",
    "search": lambda: f"/search/?q={random.choice(SEARCHES)}",
    "agreement page": lambda: f"/agreements/{random.choice(PLAN['agreements'])}/",
    "NAV unit page": lambda: f"/organisations/{PLAN['unit']}/",
    "my sign-ups": lambda: "/programmes/my-signups/",
    "export CSV": lambda: "/agreements/export/?scope=all&status=active&format=csv",
}
EMPLOYER_PAGES = {"my sign-ups"}
ANONYMOUS_PAGES = {
    "bare view (ceiling)",
    "front page",
    "news list",
    "news article",
    "news feed",
    "programme catalogue",
    "programme page",
}
SIGNUPS_MADE = [0]


@events.request.add_listener
def _count_signups(name, response, exception, **kwargs):
    if name == "sign-up POST" and exception is None and response.status_code == 302:
        SIGNUPS_MADE[0] += 1


@events.quitting.add_listener
def _write_signups(environment, **kwargs):
    path = os.environ.get("LOAD_SIGNUPS_OUT")
    if path:
        with open(path, "w") as out:
            out.write(str(SIGNUPS_MADE[0]))


class FormFields(HTMLParser):
    """The sign-up form's fields: what a browser would send, with the first free session."""

    def __init__(self):
        super().__init__()
        self.fields, self.sessions, self.selects, self._select = {}, [], {}, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if name == "sessions":
                if "disabled" not in a:
                    self.sessions.append(a["value"])
            elif kind == "checkbox":
                self.fields[name] = "on"
            elif kind == "number":
                self.fields[name] = a.get("value") or "1"
            elif kind not in ("submit", "button"):
                self.fields[name] = a.get("value", "")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and a.get("value"):
            self.selects.setdefault(self._select, a["value"])
        elif tag == "textarea" and name:
            self.fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


class BrowserLike(HttpUser):
    """Retries a GET once when the keep-alive connection it was sent on turns out closed, as
    browsers do: gunicorn closes its idle connections when it restarts a worker
    (max_requests). A POST (the sign-up) is never retried: its errors count."""

    abstract = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        once = Retry(
            total=1,
            connect=1,
            read=1,
            status=0,
            other=0,
            allowed_methods={"GET"},
            raise_on_status=False,
        )
        for adapter in self.client.adapters.values():
            adapter.max_retries = once


class Visitor(BrowserLike):
    weight = 3
    wait_time = between(0.5, 1.5)

    @task(3)
    def front_page(self):
        self.client.get("/", name="front page")

    @task(2)
    def news(self):
        self.client.get("/news/", name="news list")

    @task(2)
    def article(self):
        if PLAN["articles"]:
            self.client.get(f"/news/{random.choice(PLAN['articles'])}/", name="news article")

    @task(2)
    def catalogue(self):
        self.client.get("/programmes/", name="programme catalogue")

    @task(2)
    def programme(self):
        if PLAN["programmes"]:
            slug = random.choice(PLAN["programmes"])
            self.client.get(f"/programmes/{slug}/", name="programme page")

    @task(1)
    def feed(self):
        self.client.get("/news/feed/", name="news feed")


class Adviser(BrowserLike):
    weight = 3
    wait_time = between(0.5, 1.5)

    def on_start(self):
        self.client.cookies.set(PLAN["cookie"], PLAN["adviser"])

    @task(3)
    def dashboard(self):
        self.client.get("/dashboard/", name="dashboard")

    @task(3)
    def agreement_list(self):
        self.client.get(
            "/agreements/?scope=all&status=active&sort=end_date", name="agreement list, filtered"
        )

    @task(3)
    def agreement_search(self):
        q = random.choice(SEARCHES)
        self.client.get(f"/agreements/?scope=all&q={q}", name="agreement list, searched")

    @task(2)
    def search(self):
        q = random.choice(SEARCHES)
        self.client.get(f"/search/?q={q}", name="search")

    @task(3)
    def agreement(self):
        reference = random.choice(PLAN["agreements"])
        self.client.get(f"/agreements/{reference}/", name="agreement page")

    @task(2)
    def unit(self):
        self.client.get(f"/organisations/{PLAN['unit']}/", name="NAV unit page")

    # LOAD_EXPORT_WEIGHT=0: the mixed run without exports (scripts/load/run's second), to
    # show what the pages do when no export shares the cores.
    @task(int(os.environ.get("LOAD_EXPORT_WEIGHT", "1")))
    def export(self):
        # Exports are outside the 100 ms target; read to the end (streamed).
        self.client.get("/agreements/export/?scope=all&status=active&format=csv", name="export CSV")


class Employer(BrowserLike):
    weight = 2
    wait_time = between(0.5, 1.5)
    numbers = count()

    def on_start(self):
        number = next(self.numbers) % len(PLAN["employers"])
        self.client.cookies.set(PLAN["cookie"], PLAN["employers"][number])

    @task(3)
    def my_signups(self):
        self.client.get("/programmes/my-signups/", name="my sign-ups")

    @task(1)
    def sign_up(self):
        if not PLAN["programmes"]:
            return
        slug = random.choice(PLAN["programmes"])
        page = self.client.get(f"/programmes/{slug}/sign-up/", name="sign-up form")
        form = FormFields()
        form.feed(page.text)
        if not form.sessions or page.status_code != 200:
            return
        # DEBUG off marks the CSRF cookie Secure, which the client sends over https only;
        # the load run speaks plain http to gunicorn, as the TLS proxy in front would.
        for cookie in self.client.cookies:
            cookie.secure = False
        data = {**form.selects, **form.fields, "sessions": random.choice(form.sessions)}
        data.update(contact_phone="40000000", consent_to_contact="on")
        with self.client.post(
            f"/programmes/{slug}/sign-up/",
            data=data,
            headers={"Referer": self.client.base_url + f"/programmes/{slug}/sign-up/"},
            name="sign-up POST",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            # 302: made. 400 with a business rule (already signed up for that session, the
            # session full): the portal refused it, as it should; not a lost sign-up.
            if response.status_code in (302, 400):
                response.success()


class Ceiling(BrowserLike):
    weight = 1
    wait_time = between(0.5, 1.5)

    @task
    def ping(self):
        self.client.get("/ping/", name="bare view (ceiling)")


class OnePage(BrowserLike):
    """Only in the per-page runs (named on locust's command line, LOAD_PAGE set): that
    page, with no pause."""

    wait_time = constant(0)

    def on_start(self):
        page = os.environ["LOAD_PAGE"]
        if page in EMPLOYER_PAGES:
            self.client.cookies.set(PLAN["cookie"], random.choice(PLAN["employers"]))
        elif page not in ANONYMOUS_PAGES:
            self.client.cookies.set(PLAN["cookie"], PLAN["adviser"])

    @task
    def page(self):
        name = os.environ["LOAD_PAGE"]
        if name != LOGGED_IN_FLOOR:
            self.client.get(PAGES[name](), name=name)
            return
        # Not followed, and only the dashboard counts: a lost session redirects to the login.
        with self.client.get(
            PAGES[name](), name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.headers.get("Location") != "/dashboard/":
                response.failure(f"redirected to {response.headers.get('Location')}")
