"""The filtered agreement list as CSV or Excel, with the same columns.

Formula safety (a value starting like a formula never runs as one) is the shared table
writer's, in portal/exports.py.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from portal.exports import table_csv, table_xlsx

from .models import AgreementParty

# Rows read from the database at a time: memory stays the same for 100 or 100,000 agreements.
CHUNK = 2000


def _streamed(agreements):
    """The agreements a chunk at a time, each chunk with its parties' names (one query per
    chunk), and only the columns the file shows."""
    parties = AgreementParty.objects.select_related("organisation").only(
        "agreement_id", "organisation__name", "organisation__kind"
    )
    return (
        agreements.prefetch_related(None)
        .select_related(None)
        .select_related("responsible_adviser")
        .prefetch_related(Prefetch("parties", queryset=parties))
        .only(
            "reference",
            "title",
            "status",
            "start_date",
            "end_date",
            "focus_areas",
            "responsible_adviser__email",
            "responsible_adviser__full_name",
        )
        .iterator(chunk_size=CHUNK)
    )


def _rows(agreements):
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
    for agreement in agreements:
        row = [
            agreement.reference,
            agreement.title,
            agreement.get_status_display(),
            "; ".join(party.organisation.name for party in agreement.parties.all()),
            agreement.start_date.isoformat(),
            agreement.end_date.isoformat() if agreement.end_date else "",
            str(agreement.responsible_adviser),
            ", ".join(str(label) for label in agreement.focus_area_labels()),
        ]
        yield [str(value) for value in row]


def agreements_csv(agreements):
    return table_csv(_rows(_streamed(agreements)), "avtaler")


def agreements_xlsx(agreements):
    return table_xlsx(_rows(_streamed(agreements)), "avtaler", _("Agreements"))
