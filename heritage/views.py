from django.conf import settings
from django.shortcuts import redirect
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST


def root_redirect(request):
    """`/` goes to the visitor's preferred supported language, Vietnamese otherwise."""
    lang = translation.get_language_from_request(request, check_path=False)
    supported = {code for code, _ in settings.LANGUAGES}
    if lang not in supported:
        lang = settings.LANGUAGE_CODE
    return redirect(f"/{lang}/")


@require_POST
def toggle_data_saver(request):
    """Remember the data-saver choice in a cookie; works as a plain form without JavaScript."""
    turn_on = request.POST.get("on") == "1"
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = redirect(target)
    if turn_on:
        response.set_cookie("datasaver", "1", max_age=365 * 24 * 3600, samesite="Lax")
    else:
        response.delete_cookie("datasaver", samesite="Lax")
    return response
