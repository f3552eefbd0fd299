from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinatore")
    WORKER = "worker", _("Operatore di comunità")
    PARTNER = "partner", _("Partner")
    ANTENNA = "antenna", _("Antenna")
    CITIZEN = "citizen", _("Cittadino")


# Roles whose work is bound to the neighbourhoods they are assigned to.
SCOPED_ROLES = {Role.WORKER, Role.ANTENNA}


class User(AbstractUser):
    """An account: one role, and for workers and antennas a neighbourhood scope."""

    email = models.EmailField(_("e-mail"), unique=True)
    role = models.CharField(_("ruolo"), max_length=20, choices=Role.choices, default=Role.CITIZEN)
    city = models.ForeignKey(
        "territory.City", on_delete=models.PROTECT, null=True, blank=True, related_name="accounts", verbose_name=_("città")
    )
    neighbourhoods = models.ManyToManyField(
        "territory.Neighbourhood", blank=True, related_name="accounts", verbose_name=_("quartieri assegnati")
    )
    invited_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("invitato da")
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("account")
        ordering = ["username"]
        indexes = [models.Index(fields=["role", "is_active"])]

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def is_coordinator(self):
        return self.is_active and self.role == Role.COORDINATOR

    @property
    def is_worker(self):
        return self.is_active and self.role == Role.WORKER

    @property
    def is_scoped(self):
        return self.role in SCOPED_ROLES

    def neighbourhood_ids(self):
        """Ids of the neighbourhoods this account may see personal data in."""
        if not hasattr(self, "_neighbourhood_ids"):
            self._neighbourhood_ids = frozenset(self.neighbourhoods.values_list("pk", flat=True))
        return self._neighbourhood_ids
