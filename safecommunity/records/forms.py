from django import forms
from django.utils.translation import gettext_lazy as _

from .services import ALLOWED_SUFFIXES

MAX_UPLOAD_BYTES = 100 * 1024 * 1024


class ImportUploadForm(forms.Form):
    """Only the file: the kind comes from the URL, the township and the user from the session."""

    file = forms.FileField(
        label=_("文件"),
        help_text=_("Excel (.xlsx) 或 CSV 文件，第1行为表头"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ALLOWED_SUFFIXES)}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(ALLOWED_SUFFIXES):
            raise forms.ValidationError(_("只能导入 .xlsx 或 .csv 文件"))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("文件不能超过100MB"))
        return upload
