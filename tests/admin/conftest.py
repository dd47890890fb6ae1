import pytest

from tests.factories import MembershipFactory, UserFactory, enrol_totp
from tests.partnerships.factories import agreement_for, member_of, nav_unit, partner
from tests.programmes.factories import company, programme_under, session_in, signup_row


@pytest.fixture
def world():
    """Two partners, each with an active agreement with NAV, a programme under it, a session
    and a sign-up; the people of each role."""
    nav = nav_unit(name="NAV Nordland")
    own = partner(name="Eget partnerlag")
    other = partner(name="Annen partner")
    adviser = member_of(nav)
    own_agreement = agreement_for(adviser, nav, own, status="active", title="Vår avtale")
    other_agreement = agreement_for(adviser, nav, other, status="active", title="Deres avtale")
    own_programme = programme_under(own_agreement, title="Vårt program")
    other_programme = programme_under(other_agreement, title="Deres program")
    own_session = session_in(own_programme, title="Vår møteplass")
    other_session = session_in(other_programme, title="Deres møteplass")
    employer_user, employer = company()
    editor = UserFactory(full_name="Rita Redaktør")
    from portal.news import services as news_services

    news_services.editor_add(user=editor)
    enrol_totp(editor)
    return {
        "nav": nav,
        "own": own,
        "other": other,
        "adviser": adviser,
        "partner": member_of(own),
        "employer": employer_user,
        "editor": editor,
        "admin": UserFactory(is_superuser=True, is_staff=True),
        "own_agreement": own_agreement,
        "other_agreement": other_agreement,
        "own_programme": own_programme,
        "other_programme": other_programme,
        "own_session": own_session,
        "other_session": other_session,
        "own_signup": signup_row(own_session, employer),
        "other_signup": signup_row(other_session, employer),
    }


__all__ = ["MembershipFactory"]
