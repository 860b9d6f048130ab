from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Report


class ReportForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = ["reason", "details"]
        widgets = {
            "reason": forms.RadioSelect,
            "details": forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
        }
        labels = {"reason": _("Motif du signalement"), "details": _("Précisions (facultatif)")}

    def clean(self):
        data = super().clean()
        if data.get("reason") == Report.Reason.OTHER and not data.get("details", "").strip():
            self.add_error("details", _("Précisez le motif de votre signalement."))
        return data
