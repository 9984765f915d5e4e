from django.middleware.locale import LocaleMiddleware

# URL spaces that live outside the language prefix: a 404 there is final, not a hint to try
# "/vi/<path>" (Wagtail's catch-all would accept any path and turn every 404 into a redirect).
UNPREFIXED = ("/files/", "/api/", "/admin/", "/documents/", "/static/", "/media/")


class LanguagePrefixMiddleware(LocaleMiddleware):
    def process_response(self, request, response):
        if request.path.startswith(UNPREFIXED):
            return response
        return super().process_response(request, response)
