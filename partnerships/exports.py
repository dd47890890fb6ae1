"""The filtered agreement list as CSV or Excel, with the same columns.

Formula safety (a value starting like a formula never runs as one) is the shared table
writer's, in portal/exports.py.
"""

from django.db.models import OuterRef, StringAgg, Subquery, Value
from django.utils.translation import gettext as _

from portal.exports import table_csv, table_xlsx

from .models import Agreement, AgreementParty, FocusArea

# Rows read from the database at a time: memory stays the same for 100 or 100,000 agreements.
CHUNK = 2000
COLUMNS = (
    "reference",
    "title",
    "status",
    "start_date",
    "end_date",
    "focus_areas",
    "responsible_adviser__full_name",
    "responsible_adviser__email",
    "party_names",
)


def _streamed(agreements):
    """The agreements as plain rows of what the file shows, a chunk at a time, each with its
    parties' names joined by the database: no model objects, no query per row or per chunk."""
    names = (
        AgreementParty.objects.filter(agreement=OuterRef("pk"))
        .order_by()
        .values("agreement")
        .annotate(
            names=StringAgg(
                "organisation__name",
                Value("; "),
                order_by=("organisation__kind", "organisation__name"),
            )
        )
        .values("names")
    )
    return (
        agreements.prefetch_related(None)
        .select_related(None)
        .annotate(party_names=Subquery(names))
        .values_list(*COLUMNS)
        .iterator(chunk_size=CHUNK)
    )


def _rows(rows):
    yield [
        _("Reference"),
        _("Title"),
        _("Status"),
        _("Parties"),
        _("Start date"),
        _("End date"),
        _("Responsible adviser"),
        _("Focus areas"),
    ]
    # The labels once, in the language of the request (rows are made as the file is sent).
    statuses = {value: str(label) for value, label in Agreement.Status.choices}
    areas = {code: str(label) for code, label in FocusArea.choices}
    for reference, title, status, start, end, focus, full_name, email, parties in rows:
        yield [
            reference,
            title,
            statuses.get(status, status),
            parties or "",
            start.isoformat(),
            end.isoformat() if end else "",
            full_name or email,
            ", ".join(areas[code] for code in focus or [] if code in areas),
        ]


def agreements_csv(agreements):
    return table_csv(_rows(_streamed(agreements)), "avtaler")


def agreements_xlsx(agreements):
    return table_xlsx(_rows(_streamed(agreements)), "avtaler", _("Agreements"))
