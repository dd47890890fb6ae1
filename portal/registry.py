"""Where the apps above the core plug into it.

The core (portal, accounts, news) never imports partnerships or programmes: import-linter's
layers contract in pyproject.toml keeps it so. Where a core page must show something of
theirs, the app registers it here from its ``AppConfig.ready()``, as Django's admin site
takes ``admin.site.register`` and Wagtail takes hooks:

- ``menu``: entries of the header's menu, each with who sees it;
- ``panels``: sections of a page (a template and the context it needs), under a slot name
  such as "dashboard", "agreement_detail" or "organisation_detail";
- ``demo_seeders``: what ``seed_demo`` adds, in layer order;
- ``calendar_providers``: the events of a user's personal calendar feed (agreement
  deadlines, follow-ups, sessions), each a function (user) -> list of ``CalendarEvent``.

Registering the same name twice replaces the first, so a reloaded app does not double up.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.urls import reverse


@dataclass(frozen=True)
class MenuItem:
    name: str
    label: str
    url_name: str
    shown_to: Callable  # (user) -> bool
    order: int = 100
    # A start page: users land on the first start page they see after logging in.
    start: bool = False


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    context: Callable  # (request, obj) -> dict, or None to leave the panel out
    order: int = 100


@dataclass(frozen=True)
class DemoSeeder:
    name: str
    # Dotted path of a function (world: dict) -> None, imported only by seed_demo so that
    # demo data stays out of the web process; world carries what earlier seeders made.
    seed_path: str
    order: int = 100


@dataclass(frozen=True)
class CalendarEvent:
    # Stable across feeds and e-mails, so a calendar updates the event instead of adding one.
    uid: str
    title: str
    # A date for a deadline (an all-day event), an aware datetime for a session.
    start: date | datetime
    end: date | datetime | None = None
    url: str = ""  # a path on the portal
    description: str = ""


_menu: dict[str, MenuItem] = {}
_panels: dict[str, dict[str, Panel]] = {}
_demo_seeders: dict[str, DemoSeeder] = {}
_calendar_providers: dict[str, Callable] = {}


def menu_add(item: MenuItem) -> None:
    _menu[item.name] = item


def menu_entries(user) -> list[MenuItem]:
    return [item for item in sorted(_menu.values(), key=lambda i: i.order) if item.shown_to(user)]


def menu_for(user) -> list[dict]:
    return [{"label": item.label, "url": reverse(item.url_name)} for item in menu_entries(user)]


def panel_add(slot: str, panel: Panel) -> None:
    _panels.setdefault(slot, {})[panel.name] = panel


def panels_for(slot: str, request, obj=None) -> list[tuple[str, dict]]:
    """Each panel of the slot as (template, context), in order; a panel whose context is
    None is left out (the user may not see it)."""
    found = []
    for panel in sorted(_panels.get(slot, {}).values(), key=lambda p: p.order):
        context = panel.context(request, obj)
        if context is not None:
            found.append((panel.template, context))
    return found


def demo_seeder_add(seeder: DemoSeeder) -> None:
    _demo_seeders[seeder.name] = seeder


def demo_seeders() -> list[DemoSeeder]:
    return sorted(_demo_seeders.values(), key=lambda s: s.order)


def calendar_provider_add(name: str, provider: Callable) -> None:
    """provider(user) -> list of CalendarEvent: only what the access module lets user see."""
    _calendar_providers[name] = provider


def calendar_events(user) -> list[CalendarEvent]:
    events = []
    for _name, provider in sorted(_calendar_providers.items()):
        events += provider(user)
    return events
