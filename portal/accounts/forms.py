from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.contrib import messages
from django.utils.translation import gettext_lazy as _

from . import services
from .validators import normalise_org_number, validate_org_number


class SignupForm(AllauthSignupForm):
    """Registration for employers: the person, and the company they sign up for."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    company_name = forms.CharField(label=_("Company name"), max_length=200)
    org_number = forms.CharField(
        label=_("Organisation number"),
        max_length=20,
        help_text=_("The company's nine digits in the Central Coordinating Register."),
    )

    field_order = ["full_name", "email", "company_name", "org_number", "password1", "password2"]

    def clean_org_number(self):
        value = normalise_org_number(self.cleaned_data["org_number"])
        validate_org_number(value)
        return value

    def save(self, request):
        user = super().save(request)
        user.full_name = self.cleaned_data["full_name"]
        user.save(update_fields=["full_name"])
        membership = services.employer_register(
            user=user,
            company_name=self.cleaned_data["company_name"],
            org_number=self.cleaned_data["org_number"],
        )
        if membership is None:
            messages.info(
                request,
                _(
                    "%(company)s is registered in the portal, but not as an employer. Ask your "
                    "NAV adviser to add you to it."
                )
                % {"company": self.cleaned_data["company_name"]},
            )
        else:
            messages.info(
                request,
                _(
                    "You are linked to %(company)s. Until NAV confirms you as its contact, you "
                    "can sign it up and see the sign-ups you make yourself."
                )
                % {"company": membership.organisation},
            )
        return user
