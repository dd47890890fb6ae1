"""A programme's sign-ups as CSV or Excel, for the organisers."""

from django.utils.translation import gettext as _

from portal.exports import table_csv, table_xlsx


def _rows(signups):
    yield [
        _("Session"),
        _("Starts"),
        _("Employer"),
        _("Organisation number"),
        _("Status"),
        _("Contact person"),
        _("Phone"),
        _("E-mail"),
        _("Sector"),
        _("Internship places"),
        _("Job openings"),
        _("Mentors"),
        _("Company visit"),
        _("Talk"),
        _("Comment"),
        _("Signed up"),
    ]
    for signup in signups:
        yield [
            signup.session.title,
            signup.session.starts_at.isoformat(timespec="minutes"),
            signup.employer.name,
            signup.employer.org_number,
            signup.get_status_display(),
            signup.contact_name,
            signup.contact_phone,
            signup.contact_email,
            signup.get_sector_display(),
            signup.internship_places,
            signup.job_openings,
            signup.mentors,
            _("yes") if signup.company_visit else _("no"),
            _("yes") if signup.talk else _("no"),
            signup.comment,
            signup.created_at.isoformat(timespec="minutes"),
        ]


def signups_csv(programme, signups):
    return table_csv(_rows(signups), f"{programme.slug}-pameldinger")


def signups_xlsx(programme, signups):
    return table_xlsx(_rows(signups), f"{programme.slug}-pameldinger", _("Sign-ups"))


def signups_selection_csv(signups):
    """Sign-ups of any programmes (the admin site's selection), with the same columns."""
    return table_csv(_rows(signups), "pameldinger")


def signups_selection_xlsx(signups):
    return table_xlsx(_rows(signups), "pameldinger", _("Sign-ups"))
