"""``manage.py import_population PATH [--dry-run]``: population figures per committee area from
a CSV file (``grants.services.figures.population_import`` says the columns). Every row is
checked first; the command prints what each row does (new, changed old → new, unchanged,
refused and why; ``grants.figures_report`` words it, as for the admin's import page) and writes
nothing when any row is refused, or with ``--dry-run``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from grants.figures_report import row_text, summary_text
from grants.services.figures import REFUSED, population_import, size_problem


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
        problem = size_problem(file.stat().st_size)
        if problem:
            raise CommandError(problem)
        report = population_import(data=file.read_bytes(), dry_run=dry_run)
        for problem in report.problems:
            self.stderr.write(self.style.ERROR(problem))
        for row in report.rows:
            text = row_text(row)
            self.stdout.write(self.style.ERROR(text) if row.outcome == REFUSED else text)
        self.stdout.write(summary_text(report))
        if report.refused:
            raise CommandError(_("Nothing was written: fix the refused rows and import again."))
        if dry_run:
            self.stdout.write(_("Dry run: nothing was written."))
        else:
            self.stdout.write(self.style.SUCCESS(_("The figures were written.")))
