"""`manage.py supply_export --output FILE`: the site's supply data in the supply core's export format (JSON),
which `ivig supply forecast FILE` reads. Patients appear only as their internal ids, never by name."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ivig import clock
from ivig.clinical.supply import to_export
from ivig.siteconfig.models import SiteSettings
from ivig.supply.inputs import supply_data


class Command(BaseCommand):
    help = "Write the site's supply data (orders, bookings, use, stock) as the supply forecast's JSON export."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", default="-", help="File to write; - for standard output.")

    def handle(self, *args: Any, **options: Any) -> None:
        data = supply_data(clock.localdate(), site=SiteSettings.load().centre_name)
        text = json.dumps(to_export(data), indent=1, sort_keys=True)
        if options["output"] == "-":
            self.stdout.write(text)
            return
        with open(options["output"], "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
        self.stderr.write(
            f"Wrote {options['output']}: {len(data.products)} products, {len(data.recurring)} recurring "
            f"orders, {len(data.courses)} courses, {len(data.appointments)} bookings, {len(data.usage)} "
            f"dispensings, {len(data.stock)} stock lines."
        )
