"""The one security header Django does not set itself.

Django sends Cross-Origin-Opener-Policy (``SECURE_CROSS_ORIGIN_OPENER_POLICY``) but not
Cross-Origin-Resource-Policy. With ``same-origin`` no other site can load our pages, images,
scripts or files into its own pages (no cross-site embedding, less for Spectre-style leaks).
Listed before whitenoise, so static files get it too. Permissions-Policy comes from
django-permissions-policy (``PERMISSIONS_POLICY``).
"""

from django.conf import settings

HEADER = "Cross-Origin-Resource-Policy"


class CrossOriginResourcePolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "SECURE_CROSS_ORIGIN_RESOURCE_POLICY", None)
        if policy and HEADER not in response.headers:
            response.headers[HEADER] = policy
        return response
