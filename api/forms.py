from django import forms
from django.utils.translation import gettext_lazy as _

from .services import MAX_EXPIRY_DAYS


class TokenCreateForm(forms.Form):
    name = forms.CharField(label=_("令牌名称"), max_length=100, help_text=_("例如：县应急管理一张图"))
    expires_days = forms.IntegerField(
        label=_("有效期(天)"),
        required=False,
        min_value=1,
        max_value=MAX_EXPIRY_DAYS,
        help_text=_("留空为长期有效（可随时撤销）"),
    )
