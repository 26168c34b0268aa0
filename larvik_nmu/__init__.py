"""Larvik NMU portal project package. Importing it loads the Celery app (standard Django wiring)."""

from .celery import app as celery_app

__all__ = ("celery_app",)
