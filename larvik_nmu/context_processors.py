from django.conf import settings


def site(request):
    """What every page's frame needs: the municipality's name."""
    return {"municipality": settings.MUNICIPALITY}
