from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.contrib import messages
from django.utils.translation import gettext_lazy as _

from . import access, services
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


class AccountDeleteForm(forms.Form):
    """Deleting one's account: the password, and the code from the authenticator app from
    whoever logs in with one (access.must_confirm_with_code)."""

    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=6,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # Everyone with an authenticator app confirms with it (employers may have one).
        self.needs_code = (
            access.must_confirm_with_code(user) or services.totp_get(user=user) is not None
        )
        if self.needs_code:
            self.fields["code"].required = True
        else:
            del self.fields["code"]

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not right."))
        return password

    def clean_code(self):
        code = self.cleaned_data.get("code", "")
        if self.needs_code and not services.totp_code_valid(user=self.user, code=code):
            raise forms.ValidationError(_("The code is not right. Try the newest one."))
        return code
