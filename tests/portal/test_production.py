"""The portal as production runs it: gunicorn started by scripts/start-web with DEBUG off, two
web nodes sharing PostgreSQL, Redis and an S3-compatible bucket (moto in server mode).

Whatever one node writes (a session, a photo, a failed login) the other must see: nothing
may live in a node's memory or on its disk.
"""

import json
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from partnerships import services as partnership_services
from partnerships.demo import DEMO_PDF
from portal.news.models import Article
from tests.factories import PASSWORD, UserFactory, employer_contact
from tests.news.factories import image_bytes
from tests.partnerships.factories import agreement_for, member_of, nav_unit, partner
from tests.portal.conftest import BUCKET, CREDENTIALS, bucket_storages, free_port, keys
from tests.portal.test_settings import BASE_DIR, NOT_INHERITED

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    # The nodes are other processes: they see only committed rows.
    pytest.mark.django_db(transaction=True),
]

SECRET_KEY = "production-test-" + "k9#Hq2!vX" * 6
TOTP_SECRET = "JBSWY3DPEHPK3PXP"
ENGLISH = {"Accept-Language": "en"}


@dataclass
class Node:
    url: str
    metrics_url: str
    log: Path
    process: subprocess.Popen

    def get(self, path, session=None, **kwargs):
        cookies = {"sessionid": session} if session else None
        return requests.get(
            self.url + path, cookies=cookies, allow_redirects=False, timeout=30, **kwargs
        )

    def log_lines(self) -> list[dict]:
        """Every line the node wrote, gunicorn's own too, as JSON (a line that is not fails)."""
        return [json.loads(line) for line in self.log.read_text().splitlines()]


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def _python_in_production(static_root, *args) -> str:
    """What `python *args` prints, run as in production (DEBUG off, the real services)."""
    result = subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=_clean_environment() | _production_environment() | {"STATIC_ROOT": str(static_root)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def static_root(tmp_path_factory, django_db_setup):
    root = tmp_path_factory.mktemp("staticfiles")
    _python_in_production(root, "manage.py", "collectstatic", "--noinput", "-v", "0")
    return root


@pytest.fixture(scope="module")
def shared_bucket(s3_server):
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    name = f"{BUCKET}-nodes"
    client.create_bucket(Bucket=name)
    return client, {
        "STORAGE_BUCKET": name,
        "STORAGE_ENDPOINT_URL": s3_server,
        "STORAGE_REGION": "us-east-1",
        **CREDENTIALS,
    }


def _clean_environment() -> dict:
    return {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}


def _production_environment() -> dict:
    from django.conf import settings

    return {
        "DJANGO_DEBUG": "false",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "EMAIL_URL": "smtp://127.0.0.1:1",  # nothing listens: no mail leaves a test
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
    }


def _start_node(
    tmp_path_factory, static_root, bucket_environment, workers=2, **environment
) -> Node:
    port, metrics_port = free_port(), free_port()
    log = tmp_path_factory.mktemp("node") / "output.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [BASE_DIR / "scripts" / "start-web"],
            cwd=BASE_DIR,
            env=_clean_environment()
            | _production_environment()
            | bucket_environment
            | {
                "STATIC_ROOT": str(static_root),
                "PORT": str(port),
                "METRICS_PORT": str(metrics_port),
                "BIND_HOST": "127.0.0.1",
                "WEB_CONCURRENCY": str(workers),
                "PYTHON": sys.executable,
            }
            | environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    return Node(f"http://127.0.0.1:{port}", f"http://127.0.0.1:{metrics_port}", log, process)


def _wait_until_live(node: Node) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert node.process.poll() is None, node.log.read_text()
        try:
            if node.get("/health/live/").status_code == 200:
                return
        except requests.ConnectionError:
            time.sleep(0.1)  # gunicorn is still loading the portal
    raise AssertionError(f"gunicorn did not start:\n{node.log.read_text()}")


def _workers_of(node: Node, count: int) -> list[str]:
    """The pids of the node's workers, once it has started `count` of them (gunicorn forks
    them one after the other, a moment apart)."""
    deadline = time.monotonic() + 30
    while True:
        workers = subprocess.run(
            ["pgrep", "-P", str(node.process.pid)], capture_output=True, text=True
        ).stdout.split()
        if len(workers) >= count or time.monotonic() > deadline:
            assert len(workers) == count, workers
            return workers
        time.sleep(0.05)


@pytest.fixture(scope="module")
def nodes(tmp_path_factory, static_root, shared_bucket):
    """Two gunicorn nodes on two ports, one database, one Redis, one bucket."""
    started = [_start_node(tmp_path_factory, static_root, shared_bucket[1]) for _ in range(2)]
    try:
        for node in started:
            _wait_until_live(node)
        yield started
    finally:
        for node in started:
            node.process.terminate()
            node.process.wait(timeout=30)


@pytest.fixture
def as_the_nodes(settings, shared_bucket):
    """This test process writes what the nodes read: the same key and the same bucket."""
    settings.SECRET_KEY = SECRET_KEY
    settings.STORAGES = bucket_storages(shared_bucket[1])
    return shared_bucket[0], shared_bucket[1]["STORAGE_BUCKET"]


def session_for(user) -> str:
    """A logged-in session, as a login on any node leaves it in the database."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def with_totp(user):
    """Staff, advisers and partners must use two-factor authentication (the factories enrol
    them already; this makes sure of it for any other user)."""
    from tests.factories import enrol_totp

    return enrol_totp(user, TOTP_SECRET)


def csrf_form(node: Node, path: str, session=None) -> tuple[str, str]:
    page = node.get(path, session=session, headers=ENGLISH)
    assert page.status_code == 200, page.text[:500]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return page.cookies["csrftoken"], token


# --- One node: gunicorn with DEBUG off ------------------------------------------------------


def test_gunicorn_serves_static_files_with_debug_off(nodes, static_root):
    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    hashed = manifest["css/portal.css"]
    response = nodes[0].get(f"/static/{hashed}")
    assert response.status_code == 200
    assert "max-age=315360000" in response.headers["Cache-Control"]  # hashed: cached for ever
    assert nodes[0].get("/static/css/nope.css").status_code == 404


def test_gunicorn_shows_a_logged_in_page_and_the_readiness_probe(nodes, as_the_nodes):
    employer = employer_contact()
    response = nodes[0].get("/programmes/my-signups/", session=session_for(employer))
    assert response.status_code == 200
    assert employer.full_name in response.text
    ready = nodes[0].get("/health/ready/")
    assert ready.json() == {"status": "ok", "database": "ok", "cache": "ok", "broker": "ok"}


def test_gunicorn_downloads_a_document_from_the_bucket_for_an_adviser_only(nodes, as_the_nodes):
    s3, bucket = as_the_nodes
    nav = nav_unit()
    adviser = with_totp(member_of(nav))
    agreement = agreement_for(adviser, nav, partner())
    document = partnership_services.document_upload(
        agreement=agreement,
        user=adviser,
        title="Signert avtale",
        kind="signed_agreement",
        file=SimpleUploadedFile("avtale.pdf", DEMO_PDF),
    )
    assert f"private/{document.file.name}" in keys(s3, bucket)

    response = nodes[0].get(document.get_absolute_url(), session=session_for(adviser))
    assert response.status_code == 200
    assert response.content == DEMO_PDF
    assert "no-store" in response.headers["Cache-Control"]
    stranger = employer_contact()
    assert (
        nodes[0].get(document.get_absolute_url(), session=session_for(stranger)).status_code == 404
    )


def test_each_request_is_one_json_log_line_with_its_id_and_user(nodes, as_the_nodes):
    employer = employer_contact()
    response = nodes[0].get(
        "/programmes/my-signups/",
        session=session_for(employer),
        headers={"X-Request-ID": "loki-trace-123"},
    )
    assert response.headers["X-Request-ID"] == "loki-trace-123"
    [line] = [
        entry for entry in nodes[0].log_lines() if entry.get("request_id") == "loki-trace-123"
    ]
    assert line["logger"] == "portal.request"
    assert line["user_id"] == employer.pk
    assert line["path"] == "/programmes/my-signups/"
    assert line["status"] == 200
    assert line["duration_ms"] > 0
    assert employer.email not in json.dumps(line)
    assert any(entry["logger"] == "gunicorn.error" for entry in nodes[0].log_lines())


def test_metrics_are_on_the_internal_port_only(nodes):
    nodes[0].get("/health/live/")
    assert nodes[0].get("/metrics").status_code == 404
    response = requests.get(nodes[0].metrics_url + "/metrics", timeout=30)
    assert response.status_code == 200
    assert (
        'portal_http_requests_total{method="GET",status="200",view="health_live"}' in response.text
    )
    assert "portal_db_queries_total" in response.text


def test_the_server_outlives_its_workers_stopping_all_at_once(
    tmp_path_factory, static_root, shared_bucket
):
    """Workers stop together when they reach max_requests under load, or when the OOM killer
    takes them: gunicorn starts new ones, and the server keeps answering. (The arbiter used to
    import prometheus_client's multiprocess module in its SIGCHLD handler; the next worker's
    signal re-entered that import half done, and the arbiter died in the load run.)"""
    node = _start_node(tmp_path_factory, static_root, shared_bucket[1], workers=6)
    try:
        _wait_until_live(node)
        workers = _workers_of(node, 6)
        # One after the other, as they go under load: a signal that arrives while the arbiter
        # handles the one before is what re-entered its handler.
        for pid in workers:
            os.kill(int(pid), signal.SIGKILL)
            time.sleep(0.01)

        _wait_until_live(node)  # fails at once if the arbiter has died
        assert node.get("/ping/").status_code == 200
        log = node.log.read_text()
        assert "Traceback" not in log, log
    finally:
        node.process.terminate()
        node.process.wait(timeout=30)


BEFORE_FORK = """
import os
import portal.wsgi
from django.template import engines
from portal import warmup

compiled = warmup.before_fork()
cached = engines["django"].engine.template_loaders[0].get_template_cache
sockets = 0
for fd in os.listdir("/proc/self/fd"):
    try:
        sockets += os.readlink(f"/proc/self/fd/{fd}").startswith("socket:")
    except FileNotFoundError:
        pass  # the folder listing's own descriptor, closed since
print(compiled, len(cached), sockets)
"""


def test_before_the_fork_the_templates_are_compiled_and_nothing_is_connected(static_root):
    """gunicorn's arbiter loads the portal and warms it up (portal/warmup.py), and the workers
    forked from it inherit what it holds: its compiled templates, which spare each new
    worker's first pages that work, but never a connection, which they would share."""
    printed = _python_in_production(static_root, "-c", BEFORE_FORK)
    compiled, cached, sockets = map(int, printed.split()[-3:])
    templates = [p for p in (BASE_DIR / "templates").rglob("*") if p.suffix in (".html", ".txt")]
    assert compiled == len(templates) and cached >= compiled
    assert sockets == 0  # not the database, the cache nor the broker


def test_workers_start_and_serve_while_redis_is_down(tmp_path_factory, static_root, shared_bucket):
    """Each new worker readies its Celery producer before its first request
    (gunicorn.conf.py, post_worker_init): that connects to nothing, so a Redis that is down
    keeps no worker from starting, and the pages that need no task still answer."""
    closed = f"redis://127.0.0.1:{free_port()}/0"
    node = _start_node(tmp_path_factory, static_root, shared_bucket[1], workers=1, REDIS_URL=closed)
    try:
        _wait_until_live(node)
        assert node.get("/ping/").status_code == 200
        assert node.get("/").status_code == 200
        ready = node.get("/health/ready/")
        assert ready.status_code == 503
        assert ready.json() | {"status": "?"} == {
            "status": "?",
            "database": "ok",
            "cache": "down",
            "broker": "down",
        }
        log = node.log.read_text()
        # (The readiness probe logs the broker's error, as it should.)
        assert "Exception in worker process" not in log and "warmup" not in log, log
    finally:
        node.process.terminate()
        node.process.wait(timeout=30)


# --- Two nodes: nothing lives in one node ---------------------------------------------------


def test_a_photo_uploaded_through_one_node_is_served_by_the_other(nodes, as_the_nodes):
    s3, bucket = as_the_nodes
    node_a, node_b = nodes
    admin = with_totp(UserFactory(is_superuser=True, is_staff=True))
    session = session_for(admin)
    csrf_cookie, token = csrf_form(node_a, "/admin/news/article/add/", session=session)
    response = requests.post(
        node_a.url + "/admin/news/article/add/",
        data={
            "csrfmiddlewaretoken": token,
            "title": "Nordlysrittet signerte",
            "slug": "nordlysrittet-signerte",
            "language": "nb",
            "lead": "Avtalen er signert.",
            "body": "Mer om avtalen.",
            "photo_alt": "Signeringen",
            "state": "published",
            "_save": "Save",
        },
        files={"photo": ("signering.jpg", image_bytes(), "image/jpeg")},
        cookies={"sessionid": session, "csrftoken": csrf_cookie},
        headers=ENGLISH,
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302, re.findall(
        r'class="errorlist[^>]*>(.*?)</ul>', response.text
    )
    article = Article.objects.get(slug="nordlysrittet-signerte")
    assert f"private/{article.photo_web.name}" in keys(s3, bucket)

    photo = node_b.get(article.photo_web_url)  # anyone: the article is published
    assert photo.status_code == 200
    assert photo.headers["Content-Type"] == "image/jpeg"
    assert photo.content[:3] == b"\xff\xd8\xff"


def test_a_login_on_one_node_is_valid_on_the_other(nodes, as_the_nodes):
    node_a, node_b = nodes
    employer = employer_contact()
    # The nodes hash as production does (the test process uses a fast hasher).
    employer.password = PBKDF2PasswordHasher().encode(PASSWORD, "fixedsalt")
    employer.save()
    csrf_cookie, token = csrf_form(node_a, "/accounts/login/")
    login = requests.post(
        node_a.url + "/accounts/login/",
        data={"csrfmiddlewaretoken": token, "login": employer.email, "password": PASSWORD},
        cookies={"csrftoken": csrf_cookie},
        headers=ENGLISH,
        allow_redirects=False,
        timeout=30,
    )
    assert login.status_code == 302, login.text[:1000]
    session = login.cookies["sessionid"]

    page = node_b.get("/programmes/my-signups/", session=session)
    assert page.status_code == 200
    assert employer.full_name in page.text


def test_failed_logins_count_across_both_nodes(nodes):
    node_a, node_b = nodes
    employer = employer_contact()

    # allauth counts per site and account, the site being the Host header: behind the load
    # balancer every node sees the same one, here the nodes' ports would differ.
    same_host = ENGLISH | {"Host": "127.0.0.1"}

    def fail_on(node):
        csrf_cookie, token = csrf_form(node, "/accounts/login/")
        return requests.post(
            node.url + "/accounts/login/",
            data={"csrfmiddlewaretoken": token, "login": employer.email, "password": "feil"},
            cookies={"csrftoken": csrf_cookie},
            headers=same_host,
            allow_redirects=False,
            timeout=30,
        )

    # 5 failures per account in 5 minutes: three on one node and two on the other...
    for node in (node_a, node_a, node_a, node_b, node_b):
        response = fail_on(node)
        assert response.status_code == 200
        assert "The email address and/or password you specified are not correct" in response.text
    # ...and the sixth is refused on either, though each saw fewer than five.
    for node in (node_a, node_b):
        response = fail_on(node)
        assert "Too many failed login attempts" in response.text, response.text
