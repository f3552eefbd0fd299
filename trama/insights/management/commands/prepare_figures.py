from django.core.management.base import BaseCommand

from trama.insights.services import prepare_open_figures
from trama.insights.tasks import prepare_figures
from trama.territory.models import City


class Command(BaseCommand):
    help = (
        "Store the dashboard's figures of the current period for every account's areas ahead of the first look "
        "(only what is missing or out of date); meant for cron, every few minutes. --in-background queues it for the worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("--city", help="slug of one city")
        parser.add_argument("--in-background", action="store_true", help="queue the work for the task worker")

    def handle(self, *args, city=None, in_background=False, **options):
        city_id = None
        if city:
            found = City.objects.filter(slug=city).first()
            if found is None:
                self.stderr.write(f"no city {city}")
                return
            city_id = found.pk
        if in_background:
            prepare_figures.enqueue(city_id)
            self.stdout.write("queued")
            return
        self.stdout.write(f"{prepare_open_figures(city_id)} sets of areas prepared")
