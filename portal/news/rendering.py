"""Markdown to HTML that is safe to show, whatever an editor pastes.

Markdown lets raw HTML through, so its output is cleaned with nh3 (the Rust sanitiser
ammonia) against an explicit allow-list: tags for text and tables, a few attributes, and
links only to http, https and mailto. Everything else, including script and style content,
event handlers and javascript:/data: links, is dropped. Before nh3 hands an address on,
it is cleaned once more: nh3 checks the scheme of ``java\u200bscript:`` as written (none, so
relative, so allowed), and the invisible characters are removed and the scheme checked again
(portal/links.py says why).
"""

import xml.etree.ElementTree as ET

import markdown
import nh3

from portal.links import scheme_allowed, strip_invisible

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "em",
    "h2",
    "h3",
    "h4",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "td": {"align"},
    "th": {"align", "scope"},
}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noopener noreferrer"


class _DemoteHeadings(markdown.treeprocessors.Treeprocessor):
    """The page's title is its only h1: a body's "# Heading" becomes an h2, like "##" does,
    and h5/h6 become h4, the smallest allowed."""

    def run(self, root: ET.Element) -> None:
        for element in root.iter():
            if element.tag == "h1":
                element.tag = "h2"
            elif element.tag in {"h5", "h6"}:
                element.tag = "h4"


class _DemoteHeadingsExtension(markdown.Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(_DemoteHeadings(md), "portal_demote_headings", 5)


URL_ATTRIBUTES = {"href"}


def _clean_url(element: str, attribute: str, value: str) -> str | None:
    """nh3's attribute_filter, called after nh3's own scheme check; None drops the attribute."""
    if attribute not in URL_ATTRIBUTES:
        return value
    # Leading spaces too: a browser drops them before it reads the scheme.
    url = strip_invisible(value).strip()
    return url if scheme_allowed(url, URL_SCHEMES) else None


def sanitise_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
        attribute_filter=_clean_url,
    )


def markdown_to_html(text: str) -> str:
    """The article body as sanitised HTML, ready to be marked safe in a template."""
    html = markdown.markdown(
        text or "",
        extensions=["extra", "sane_lists", _DemoteHeadingsExtension()],
        output_format="html",
    )
    return sanitise_html(html)
