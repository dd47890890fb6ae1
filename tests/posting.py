"""Post a page's form as a browser would: read its fields, change some, send it back."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_class):
        super().__init__()
        self.form_class = form_class
        self.inside = False
        self.values: dict[str, list[str]] = {}
        self.select = None  # name, multiple, options, chosen
        self.textarea = None

    def _add(self, name, value):
        self.values.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and self.form_class in (attrs.get("class") or "").split():
            self.inside = True
        if not self.inside or "disabled" in attrs or not attrs.get("name", tag == "option"):
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self._add(attrs["name"], attrs.get("value", "on"))
            else:
                self._add(attrs["name"], attrs.get("value") or "")
        elif tag == "select":
            self.select = {"name": attrs["name"], "multiple": "multiple" in attrs, "options": []}
        elif tag == "option" and self.select is not None:
            self.select["options"].append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea":
            self.textarea = [attrs["name"], ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea is not None:
            self._add(self.textarea[0], self.textarea[1].removeprefix("\n"))
            self.textarea = None
        elif tag == "select" and self.select is not None:
            options = self.select["options"]
            chosen = [value for value, selected in options if selected]
            if not chosen and options and not self.select["multiple"]:
                chosen = [options[0][0]]
            self.values[self.select["name"]] = chosen
            self.select = None


def form_values(response_or_html, form_class="portal-form") -> dict[str, list[str]]:
    """The values the page's form (found by its class) would post, as lists of strings."""
    html = getattr(response_or_html, "content", response_or_html)
    reader = _FormReader(form_class)
    reader.feed(html.decode() if isinstance(html, bytes) else html)
    return reader.values
