from django.db import transaction

from .models import ROLE_FOR_KIND, Membership, Organisation


@transaction.atomic
def employer_register(*, user, company_name: str, org_number: str) -> Membership | None:
    """Tie a newly registered user to their company.

    A company new to the portal is created with the user as its contact. A company that is
    already registered is not joined automatically: anyone could type its number, so its
    existing contacts or NAV add colleagues. Returns the membership, or None.
    """
    organisation, created = Organisation.objects.get_or_create(
        org_number=org_number,
        defaults={"name": company_name, "kind": Organisation.Kind.EMPLOYER},
    )
    if not created:
        return None
    return Membership.objects.create(
        user=user, organisation=organisation, role=ROLE_FOR_KIND[organisation.kind]
    )
