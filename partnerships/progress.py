"""Goal figures the portal counts by itself, from what happens under an agreement.

Partnerships does not know what counts them: the programmes app (a higher layer) registers
a provider in its AppConfig.ready() that returns its figures for one agreement, keyed by
Goal.Measure. A measure nobody counts reads 0.
"""

from collections.abc import Callable

from django.utils import timezone

# name -> (agreement, now) -> {Goal.Measure value: figure}
_providers: dict[str, Callable] = {}


def provider_add(name: str, provider: Callable) -> None:
    _providers[name] = provider


def agreement_progress(agreement, now=None) -> dict[str, int]:
    now = now or timezone.now()
    figures: dict[str, int] = {}
    for provider in _providers.values():
        for measure, value in provider(agreement, now).items():
            figures[measure] = figures.get(measure, 0) + value
    return figures
