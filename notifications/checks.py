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
