from django.conf import settings
from django.shortcuts import redirect
from django.utils import translation


def root_redirect(request):
    """`/` goes to the visitor's preferred supported language, Vietnamese otherwise."""
    lang = translation.get_language_from_request(request, check_path=False)
    supported = {code for code, _ in settings.LANGUAGES}
    if lang not in supported:
        lang = settings.LANGUAGE_CODE
    return redirect(f"/{lang}/")
