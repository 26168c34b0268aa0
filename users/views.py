from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import services
from .forms import ProfileForm


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile(request):
    """Min side: the resident's own name and language."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.user_update_profile(user=request.user, **form.cleaned_data)
        translation.activate(request.user.preferred_language)
        messages.success(request, _("Your details have been saved."))
        response = redirect("users:profile")
        response.set_cookie(
            "nmu_language", request.user.preferred_language, samesite="Lax", httponly=True
        )
        return response
    return render(request, "users/profile.html", {"form": form})
