from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve Zimao with waitress (a production WSGI server; static files via WhiteNoise)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args: Any, **options: Any) -> None:
        from waitress import serve

        from zimao.wsgi import application

        self.stdout.write(f"Zimao serving on http://{options['host']}:{options['port']}/")
        serve(application, host=options["host"], port=options["port"], threads=options["threads"])
