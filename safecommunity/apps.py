from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafeCommunityConfig(AppConfig):
    name = "safecommunity"
    verbose_name = _("平台基础")

    def ready(self):
        from . import security  # noqa: F401  (connects the login audit receivers)
        from .filters import connect_choice_signals
        from .uploads import configure_pillow

        configure_pillow()
        connect_choice_signals()
