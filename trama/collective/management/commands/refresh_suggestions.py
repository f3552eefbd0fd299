from django.core.management.base import BaseCommand

from trama.collective.services import refresh_suggestions
from trama.territory.models import City


class Command(BaseCommand):
    help = "Recompute the group suggestions of every city (or of --city SLUG); meant for cron."

    def add_arguments(self, parser):
        parser.add_argument("--city", help="slug of one city")

    def handle(self, *args, city=None, **options):
        cities = City.objects.filter(slug=city) if city else City.objects.all()
        for each in cities.order_by("slug"):
            created, updated, deleted = refresh_suggestions(each)
            self.stdout.write(f"{each.slug}: {created} new, {updated} updated, {deleted} removed")
