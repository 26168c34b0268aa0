from django.conf import settings
from django.core.checks import Error, register


@register()
def claim_outlasts_tasks(app_configs, **kwargs):
    """A live delivery task must never lose its claim to another worker (that would send twice)."""
    claim = settings.NOTIFICATIONS["CLAIM_SECONDS"]
    limit = settings.CELERY_TASK_TIME_LIMIT
    if limit and claim <= limit:
        return [
            Error(
                f"NOTIFICATIONS['CLAIM_SECONDS'] ({claim}) must be longer than "
                f"CELERY_TASK_TIME_LIMIT ({limit}).",
                id="notifications.E001",
            )
        ]
    return []


@register()
def kinds_name_registered_categories(app_configs, **kwargs):
    """A kind whose category no app registered would fail at its first ``notify()``."""
    from . import categories, kinds

    return [
        Error(
            f"Notification kind {kind.key!r} names the category {kind.category!r}, "
            "which no app registers.",
            hint="Call notifications.categories.register_category() in the app's ready().",
            id="notifications.E002",
        )
        for kind in kinds.all_kinds()
        if not categories.is_registered(kind.category)
    ]
