from django.apps import AppConfig
from django.db.models.signals import post_migrate


class LarvikNmuConfig(AppConfig):
    """The top of the project: settings, urls, site pages, and what is assembled from all apps."""

    name = "larvik_nmu"

    def ready(self):
        from .staff import assemble_after_migrate

        post_migrate.connect(assemble_after_migrate, dispatch_uid="larvik_nmu.staff_groups")
