"""The notifications app's part of the registry of personal data (see trama/privacy/registry.py)."""

from django.utils.translation import gettext_lazy as _

from trama.privacy.registry import BASIS_SERVICE, KEPT_WHILE_ACTIVE, Erase, Expiry, declare

declare(
    "notifications.Notification",
    subject=["recipient__person"],
    purpose=_("Dire alla persona che c'è una novità che la riguarda, e dove vederla"),
    basis=BASIS_SERVICE,
    retention=_("12 mesi dalla notifica"),
    months=12,
    # The rows hold only a kind, a page and dates; their e-mail deliveries go with them.
    erase=Erase.delete(),
    seen_by=_("Solo la persona a cui è rivolta"),
    expires=Expiry(clock="created_at", why=_("Una novità di più di un anno è già stata vista o non serve più: la pagina a cui porta resta.")),
)
declare(
    "notifications.Preference",
    subject=["account__person"],
    purpose=_("Quali notifiche la persona vuole ricevere anche per e-mail, per SMS o come avvisi sul telefono"),
    basis=BASIS_SERVICE,
    retention=KEPT_WHILE_ACTIVE,
    erase=Erase.delete(),
    seen_by=_("Solo la persona stessa, dal suo profilo"),
)
declare(
    "notifications.SmsNumber",
    subject=["account__person"],
    purpose=_("Il cellulare a cui la persona vuole ricevere le notifiche per SMS"),
    basis=BASIS_SERVICE,
    retention=KEPT_WHILE_ACTIVE,
    erase=Erase.delete(),
    seen_by=_("Solo la persona stessa, dalle sue preferenze"),
)
declare(
    "notifications.PushSubscription",
    subject=["account__person"],
    purpose=_("I browser (il telefono) su cui la persona vuole ricevere le notifiche come avvisi"),
    basis=BASIS_SERVICE,
    retention=_("Finché l'account è attivo, o finché il servizio di notifica dice che il browser non c'è più"),
    erase=Erase.delete(),
    # The browser's keys are secrets that open its push messages: a copy of her data needs neither.
    hidden=["p256dh", "auth"],
    seen_by=_("Solo la persona stessa, dalle sue preferenze"),
)
declare(
    "notifications.QuietHours",
    subject=["account__person"],
    purpose=_("Le ore in cui la persona non vuole ricevere e-mail né SMS"),
    basis=BASIS_SERVICE,
    retention=KEPT_WHILE_ACTIVE,
    erase=Erase.delete(),
    seen_by=_("Solo la persona stessa, dal suo profilo"),
)
declare(
    "notifications.UnreachableAddress",
    subject=["account__person"],
    purpose=_("Non mandare più messaggi a un indirizzo o a un numero che non li riceve, e dirlo alla persona"),
    basis=BASIS_SERVICE,
    retention=KEPT_WHILE_ACTIVE,
    erase=Erase.delete(),
    seen_by=_("Solo la persona stessa, nelle sue notifiche e preferenze"),
)
