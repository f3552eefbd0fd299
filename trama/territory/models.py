from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .geojson import validate_geometry

# Counts from 1 to 9 are never shown outside the workers' scope; a city may hide more, up to this.
SMALL_COUNT_FLOOR = 10
SMALL_COUNT_CEILING = 100


class City(models.Model):
    name = models.CharField(_("nome"), max_length=120)
    slug = models.SlugField(_("identificativo"), max_length=60, unique=True)
    centre_lat = models.FloatField(_("latitudine del centro"), validators=[MinValueValidator(-90), MaxValueValidator(90)])
    centre_lon = models.FloatField(_("longitudine del centro"), validators=[MinValueValidator(-180), MaxValueValidator(180)])
    # The smallest count shown in aggregates outside the workers' scope (privacy.suppression): a city's
    # coordinators may raise it, never take it below the programme's floor of 10 (DESIGN.md §5).
    small_count_threshold = models.PositiveSmallIntegerField(
        _("soglia dei conteggi piccoli"),
        default=SMALL_COUNT_FLOOR,
        validators=[MinValueValidator(SMALL_COUNT_FLOOR), MaxValueValidator(SMALL_COUNT_CEILING)],
        help_text=_("Nei dati mostrati fuori dai quartieri di chi lavora, i conteggi sotto questo numero sono nascosti."),
    )

    class Meta:
        verbose_name = _("città")
        verbose_name_plural = _("città")
        ordering = ["name"]

    def __str__(self):
        return self.name


class NeighbourhoodManager(models.Manager):
    """Neighbourhoods without their boundary, which only maps and adjacency read: a real boundary is
    tens of kilobytes of GeoJSON, and lists, form choices and the neighbourhoods of each offer load
    neighbourhoods by the dozen. `with_boundary()` loads it; reading `boundary` on a neighbourhood
    loaded without it costs one query. (A neighbourhood reached by `select_related` is loaded
    whole: those pages read one per row.)"""

    def get_queryset(self):
        return super().get_queryset().defer("boundary")

    def with_boundary(self):
        return super().get_queryset()


class Neighbourhood(models.Model):
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="neighbourhoods", verbose_name=_("città"))
    name = models.CharField(_("nome"), max_length=120)
    slug = models.SlugField(_("identificativo"), max_length=60)
    code = models.CharField(_("codice"), max_length=20, blank=True)
    population = models.PositiveIntegerField(_("residenti"), null=True, blank=True)
    boundary = models.JSONField(_("confine (GeoJSON)"), null=True, blank=True)
    boundary_is_approximate = models.BooleanField(_("confine approssimativo"), default=True)
    is_pilot = models.BooleanField(_("in sperimentazione"), default=False)

    objects = NeighbourhoodManager()

    class Meta:
        verbose_name = _("quartiere")
        verbose_name_plural = _("quartieri")
        ordering = ["city", "name"]
        constraints = [
            models.UniqueConstraint(fields=["city", "slug"], name="neighbourhood_unique_slug_per_city"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.boundary is not None:
            try:
                validate_geometry(self.boundary)
            except ValueError as exc:
                raise ValidationError({"boundary": str(exc)}) from exc


class Place(models.Model):
    class Kind(models.TextChoices):
        COMMUNITY_POINT = "community_point", _("Punto di comunità")
        COMMUNITY_HOUSE = "community_house", _("Casa della comunità")
        COMMUNITY_LAB = "community_lab", _("Laboratorio di comunità")
        LIBRARY = "library", _("Biblioteca")
        PARISH = "parish", _("Parrocchia")
        SCHOOL = "school", _("Scuola")
        PHARMACY = "pharmacy", _("Farmacia")
        SHOP = "shop", _("Negozio")
        PARK = "park", _("Parco")
        CIVIC_CENTRE = "civic_centre", _("Centro civico")
        OTHER = "other", _("Altro")

    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.PROTECT, related_name="places", verbose_name=_("quartiere"))
    name = models.CharField(_("nome"), max_length=200)
    kind = models.CharField(_("tipo"), max_length=30, choices=Kind.choices, default=Kind.OTHER)
    address = models.CharField(_("indirizzo"), max_length=200, blank=True)
    # Printed on posters and cards: whoever cannot use the web calls the community point.
    phone = models.CharField(_("telefono"), max_length=30, blank=True)
    description = models.TextField(_("descrizione"), blank=True, max_length=4000)
    lat = models.FloatField(_("latitudine"), null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)])
    lon = models.FloatField(_("longitudine"), null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)])
    location_is_approximate = models.BooleanField(_("posizione approssimativa"), default=True)
    opening_hours = models.CharField(
        _("orari di apertura"), max_length=300, blank=True, help_text=_("Per esempio: dal lunedì al venerdì 9-13, giovedì anche 15-18.")
    )
    accessibility = models.TextField(
        _("accessibilità"), max_length=1000, blank=True, help_text=_("Gradini, ascensore, bagno accessibile, parcheggio vicino…")
    )
    # Named by string only: territory imports nothing of people (the one link up the direction, for the map's
    # "who runs it"; the forms take its choices from the field itself).
    managing_organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="managed_places", verbose_name=_("gestito da")
    )
    is_public = models.BooleanField(_("visibile al pubblico"), default=True)

    class Meta:
        verbose_name = _("luogo")
        verbose_name_plural = _("luoghi")
        ordering = ["name"]
        indexes = [models.Index(fields=["neighbourhood", "kind"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("territory:place", args=[self.pk])
