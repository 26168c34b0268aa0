"""The bottom layer: seams every app uses and that name no app.

Form helpers, the service-backed admin, CSV export, the step-table engine with its abstract
timeline, deadline follow-up, attachments and template filters. ``core`` imports no app of ours;
import-linter keeps it so.
"""
