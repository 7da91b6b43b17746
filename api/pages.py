"""The user's own API tokens (linked from the user menu): create, see once, revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from safecommunity.exceptions import ApplicationError
from safecommunity.generic import add_service_errors

from . import services
from .forms import TokenCreateForm
from .models import ApiToken


@never_cache
@login_required
def token_list(request):
    user = request.user
    if not user.area_id:
        raise PermissionDenied
    form = TokenCreateForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            _row, new_token = services.api_token_create(
                user=user, name=form.cleaned_data["name"], expires_days=form.cleaned_data["expires_days"]
            )
        except (ApplicationError, ValidationError) as exc:
            add_service_errors(form, exc)
        else:
            form = TokenCreateForm()
    tokens = ApiToken.objects.filter(user=user).order_by("-created_at", "-id")
    response = render(request, "api/token_list.html", {"form": form, "tokens": tokens, "new_token": new_token})
    return response


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken.objects.filter(user=request.user), pk=pk)
    services.api_token_revoke(token=token, user=request.user)
    messages.success(request, _("令牌已撤销"))
    return redirect("api:token_list")
