from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class LanguageMiddleware(LocaleMiddleware):
    """Norwegian unless the person chose otherwise.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: a Norwegian
    municipality's site speaks Bokmål by default. The choice comes from the language cookie (the
    switcher), then the logged-in user's preferred language.
    """

    def process_request(self, request):
        supported = {code for code, _ in settings.LANGUAGES}
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code not in supported:
            user = getattr(request, "user", None)
            code = getattr(user, "preferred_language", None) if user else None
        if code not in supported:
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = translation.get_language()
