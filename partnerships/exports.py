"""The filtered agreement list as CSV or Excel, with the same columns.

Formula safety (a value starting like a formula never runs as one) is the shared table
writer's, in portal/exports.py.
"""

from django.utils.translation import gettext as _

from portal.exports import table_csv, table_xlsx


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
    return table_csv(_rows(agreements), "avtaler")


def agreements_xlsx(agreements):
    return table_xlsx(_rows(agreements), "avtaler", _("Agreements"))
