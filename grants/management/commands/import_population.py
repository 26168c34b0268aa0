"""``manage.py import_population PATH [--dry-run]``: population figures per committee area from
a CSV file (``grants.services.figures.population_import`` says the columns). Every row is
checked first; the command prints what each row does (new, changed old → new, unchanged,
refused and why) and writes nothing when any row is refused, or with ``--dry-run``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from grants.services.figures import CHANGED, MAX_BYTES, NEW, REFUSED, UNCHANGED, population_import


class Command(BaseCommand):
    help = _(
        "Import population figures from a CSV file (committee, reference_date, age_from, "
        "age_to, residents, residents_in_range, source). Nothing is written if any row is "
        "refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help=_("The CSV file."))
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Check the file and say what would change, without writing anything."),
        )

    def handle(self, *args, path, dry_run, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        if file.stat().st_size > MAX_BYTES:
            raise CommandError(
                _("The file is larger than %(size)s MB.") % {"size": MAX_BYTES // (1024 * 1024)}
            )
        report = population_import(data=file.read_bytes(), dry_run=dry_run)
        for problem in report.problems:
            self.stderr.write(self.style.ERROR(problem))
        labels = {
            NEW: _("new"),
            CHANGED: _("changed"),
            UNCHANGED: _("unchanged"),
            REFUSED: _("refused"),
        }
        for row in report.rows:
            text = _("Line %(line)s, %(key)s: %(outcome)s") % {
                "line": row.line,
                "key": row.key,
                "outcome": labels[row.outcome],
            }
            if row.changes:
                text += " (" + "; ".join(f"{name} {old} → {new}" for name, old, new in row.changes)
                text += ")"
            if row.problems:
                text += " – " + " ".join(row.problems)
            style = self.style.ERROR if row.outcome == REFUSED else None
            self.stdout.write(style(text) if style else text)
        summary = _(
            "%(new)s new, %(changed)s changed, %(unchanged)s unchanged, %(refused)s refused."
        ) % {
            "new": report.count(NEW),
            "changed": report.count(CHANGED),
            "unchanged": report.count(UNCHANGED),
            "refused": report.count(REFUSED),
        }
        self.stdout.write(summary)
        if report.refused:
            raise CommandError(_("Nothing was written: fix the refused rows and import again."))
        if dry_run:
            self.stdout.write(_("Dry run: nothing was written."))
        else:
            self.stdout.write(self.style.SUCCESS(_("The figures were written.")))
