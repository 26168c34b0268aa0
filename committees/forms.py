from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput

from . import rules
from .models import Committee, Membership, Role


class CommitteeDetailsForm(forms.ModelForm):
    """What the leader keeps on the committee page. The description is required here (the
    model lets the admin leave it empty for a committee that is forming); the service holds the
    same rule (``rules.committee_details_problems``), so a form that skips it is still refused."""

    class Meta:
        model = Committee
        fields = ["description", "area_description", "contact_email", "support_goal"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "area_description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        description = self.fields["description"]
        description.required = True
        description.error_messages["required"] = rules.DESCRIPTION_REQUIRED_MESSAGE


class StoredDateInput(DateInput):
    """A read-only date input that always shows the stored date, also when the form comes back
    after a refused change: the person cannot edit the field, so it must not keep a value they
    cannot undo. What is posted is still read (and judged by the service)."""

    def __init__(self, stored, attrs=None):
        super().__init__(attrs={**(attrs or {}), "readonly": True})
        self.stored = stored

    def get_context(self, name, value, attrs):
        return super().get_context(name, self.stored, attrs)


# The roles a leader gives on the site: the board's. Not followers (they follow themselves), and
# not the municipal contact, whom only the municipality chooses, in the admin
# (``services.municipal_contact_problems`` refuses it if posted anyway).
BOARD_ROLE_CHOICES = [
    (r.value, r.label) for r in Role if r not in (Role.MEMBER, Role.MUNICIPAL_CONTACT)
]


class MembershipForm(forms.ModelForm):
    """A board membership's role and term. The term's rule (it cannot end before it starts) is
    ``Membership.clean``'s, which the form runs as every ModelForm does; no second copy here."""

    role = forms.ChoiceField(label=_("Role"), choices=BOARD_ROLE_CHOICES, initial=Role.BOARD_MEMBER)

    class Meta:
        model = Membership
        fields = ["role", "represents", "term_start", "term_end"]
        widgets = {"term_start": DateInput(), "term_end": DateInput()}
        help_texts = {"term_end": _("Leave empty if the term has no fixed end.")}

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        locked = (
            rules.own_membership_locked_fields(membership=self.instance, actor=actor)
            if self.instance.pk
            else set()
        )
        self._lock(locked)

    def _lock(self, locked: set[str]) -> None:
        """Show the fields ``rules`` keeps from the actor as read-only. They stay ordinary
        fields (a read-only input is posted with its value), so a value posted anyway reaches
        the service, which refuses it with the rule's words; Django's ``disabled`` would drop
        it silently instead."""
        if "role" in locked:
            role = self.fields["role"]
            role.choices = [(v, label) for v, label in role.choices if v == self.instance.role]
            role.error_messages["invalid_choice"] = rules.OWN_ROLE_MESSAGE
            role.help_text = rules.OWN_ROLE_MESSAGE
        for name in rules.TERM_FIELDS:
            if name in locked:
                self.fields[name].widget = StoredDateInput(self.initial.get(name))
                self.fields[name].help_text = rules.OWN_TERM_MESSAGE


class MembershipAddForm(MembershipForm):
    """The leader's "add board member": what the invitation will hold (``BoardInvitation``)."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_(
            "We send the person an invitation. They join the board, and are shown on the "
            "committee's page, once they accept it."
        ),
    )

    class Meta(MembershipForm.Meta):
        fields = ["email", *MembershipForm.Meta.fields]
