import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from trama.territory.geojson import parse_neighbourhood_features
from trama.territory.models import City, Neighbourhood
from trama.territory.queries import current_city

MAX_BYTES = 20 * 1024 * 1024


class Command(BaseCommand):
    help = _(
        "Importa i confini reali dei quartieri da una FeatureCollection GeoJSON: crea o aggiorna "
        "i quartieri per nome. Se un quartiere non va bene non viene salvato nulla."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("file GeoJSON (al massimo 20 MB, UTF-8)"))
        parser.add_argument("--city", help=_("identificativo della città (predefinita: quella servita)"))

    def handle(self, *args, file, city=None, **options):
        target = self._city(city)
        data = self._read(Path(file))
        try:
            features = parse_neighbourhood_features(data)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        created, updated, unchanged = self._store(target, features)
        self.stdout.write(
            _("Quartieri di «%(city)s»: %(created)s creati, %(updated)s aggiornati, %(unchanged)s invariati.")
            % {"city": target.name, "created": created, "updated": updated, "unchanged": unchanged}
        )

    def _city(self, slug):
        city = City.objects.filter(slug=slug).first() if slug else current_city()
        if city is None:
            raise CommandError(
                _("La città «%(slug)s» non esiste.") % {"slug": slug}
                if slug
                else _("Non c'è ancora nessuna città: creala prima (per esempio con load_demo).")
            )
        return city

    def _read(self, path):
        try:
            if path.stat().st_size > MAX_BYTES:
                raise CommandError(_("Il file supera i 20 MB."))
            text = path.read_bytes().decode("utf-8-sig")
        except OSError as exc:
            raise CommandError(_("Impossibile leggere il file «%(path)s».") % {"path": path}) from exc
        except UnicodeDecodeError as exc:
            raise CommandError(_("Il file non è in codifica UTF-8.")) from exc
        try:
            return json.loads(text)
        except (ValueError, RecursionError) as exc:
            raise CommandError(_("Il file non contiene JSON valido.")) from exc

    @transaction.atomic
    def _store(self, city, features):
        created = updated = unchanged = 0
        slugs = set()
        for feature in features:
            slug = slugify(feature["name"])[:60].strip("-")
            if not slug or slug in slugs:
                raise CommandError(
                    _("Quartiere «%(name)s»: il nome è vuoto o si confonde con un altro quartiere del file.") % {"name": feature["name"]}
                )
            slugs.add(slug)
            neighbourhood = Neighbourhood.objects.filter(city=city, slug=slug).first()
            is_new = neighbourhood is None
            if is_new:
                neighbourhood = Neighbourhood(city=city, slug=slug)
            values = {"name": feature["name"], "boundary": feature["boundary"], "boundary_is_approximate": False}
            values.update({k: feature[k] for k in ("code", "population", "is_pilot") if feature[k] is not None})
            changed = [field for field, value in values.items() if getattr(neighbourhood, field) != value]
            if not is_new and not changed:
                unchanged += 1
                continue
            for field in changed:
                setattr(neighbourhood, field, values[field])
            try:
                neighbourhood.full_clean()
            except ValidationError as exc:
                messages = "; ".join(m for ms in exc.message_dict.values() for m in ms)
                raise CommandError(_("Quartiere «%(name)s»: %(errors)s") % {"name": feature["name"], "errors": messages}) from exc
            neighbourhood.save()
            created, updated = created + is_new, updated + (not is_new)
        return created, updated, unchanged
