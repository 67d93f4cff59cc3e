from typing import Any

from django.core.management.base import BaseCommand

from ivig.demo.load import demo_logins, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo centre, one user per role, 20 patients, stock and a year of history (safe to rerun)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--print-logins", action="store_true", help="print the demo logins afterwards")

    def handle(self, *args: Any, **options: Any) -> None:
        counts = load_demo()
        self.stdout.write(
            f"Demo data: {counts['users']} users, {counts['patients']} patients, "
            f"{counts['lots']} stock lots, {counts['orders']} orders and "
            f"{counts['history_orders']} past orders (a year of history) created."
        )
        if options["print_logins"]:
            self.stdout.write("\nDemo logins (role: username / password):")
            for role, username, password in demo_logins():
                self.stdout.write(f"  {role:<11} {username:<11} / {password}")
