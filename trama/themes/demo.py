"""Demo themes for `manage.py load_demo`: idempotent (the second run changes nothing).

Copies the demo needs, signals and encounters into text items, adds a small archive of encounter
notes (imported texts) over the last six months so that discovery has something to find, and
runs discovery once, synchronously, so that `make run` shows candidate themes.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from trama.people.models import User
from trama.territory.queries import neighbourhoods_of

from . import services
from .models import DiscoveryRun, TextItem

MIN_ITEMS = 20
ARCHIVE = [
    # Loneliness of older people living alone
    "La signora del terzo piano vive sola da quando è morto il marito e dice che passa giorni senza parlare con nessuno.",
    "Un signore di ottant'anni ci ha detto che la domenica è il giorno più lungo: nessuno lo chiama.",
    "Vive solo, i figli sono lontani, esce solo per la spesa e poi resta in casa tutto il giorno.",
    "Si sente solo, vorrebbe qualcuno con cui fare due passi o giocare a carte al pomeriggio.",
    "Da quando non guida più non vede gli amici del circolo e passa le giornate davanti alla televisione.",
    "Una vedova chiede se c'è un gruppo di persone della sua età che si trova per chiacchierare.",
    "Il vicino anziano non esce più di casa, dice che non ha più nessuno con cui parlare.",
    "Vorrebbe compagnia per il pranzo della domenica, mangia sempre da sola.",
    "Un uomo solo dopo la pensione dice di non sapere come riempire le giornate, si sente inutile.",
    "La signora vive sola e ha paura di cadere in casa senza che nessuno se ne accorga.",
    "Chiede se qualcuno può passare a trovarla ogni tanto, la solitudine le pesa molto.",
    "Dopo il trasloco della figlia è rimasto solo e non conosce nessuno nel palazzo.",
    # Bills, rent and the cost of the home
    "Non riesce a pagare la bolletta del gas arrivata questo mese, è il doppio dell'anno scorso.",
    "Ha ricevuto un avviso di sfratto per due mesi di affitto non pagati.",
    "Le bollette della luce sono troppo alte, spegne il riscaldamento per risparmiare.",
    "Chiede aiuto per capire come rateizzare la bolletta dell'acqua che non riesce a pagare.",
    "Con l'aumento dell'affitto non ce la fa più, metà dello stipendio va via per la casa.",
    "Il padrone di casa vuole aumentare l'affitto e lei non sa dove andare con i bambini.",
    "Ha il contatore del gas staccato per morosità e in casa fa freddo.",
    "Chiede se esiste un bonus per le bollette, ha ricevuto un sollecito di pagamento.",
    "Paga l'affitto ma poi non resta niente per le bollette e per la spesa di fine mese.",
    "Deve lasciare l'appartamento a fine mese e non trova un affitto che può permettersi.",
    "La bolletta della luce è arrivata altissima e teme che gli stacchino la corrente.",
    "Vive in una casa umida, il riscaldamento costa troppo e non lo accende quasi mai.",
    # Digital divide: forms, apps and online appointments
    "Non sa usare lo SPID e non riesce a prenotare la visita sul sito dell'azienda sanitaria.",
    "Chiede aiuto per compilare la domanda online, non ha un computer e col telefono non ci riesce.",
    "Non riesce a scaricare il referto dal fascicolo sanitario elettronico, serve una password.",
    "Le hanno detto di fare tutto sull'app ma lei non ha lo smartphone.",
    "Vorrebbe imparare a fare le videochiamate per vedere i nipoti che vivono all'estero.",
    "Non sa come attivare la PEC richiesta dal comune per la pratica della casa.",
    "Chiede qualcuno che gli insegni a usare la posta elettronica e a stampare i documenti.",
    "Il bonus si chiede solo online e lui non sa da dove cominciare, non ha internet a casa.",
    "Ha comprato un telefono nuovo ma non riesce a installare l'app della banca.",
    "Non riesce a prenotare il vaccino online, il sito chiede lo SPID che non ha.",
    "Cerca un corso per imparare a usare il computer e compilare i moduli su internet.",
    "La scuola manda le comunicazioni solo sul registro elettronico e la mamma non sa come entrare.",
]


def _archive(city, hoods):
    now = timezone.now()
    existing = set(TextItem.objects.filter(source=TextItem.Source.IMPORT, city=city).values_list("source_id", flat=True))
    new = []
    for n, text in enumerate(ARCHIVE):
        source_id = city.pk * 100_000 + n
        if source_id in existing:
            continue
        new.append(
            TextItem(
                city=city,
                source=TextItem.Source.IMPORT,
                source_id=source_id,
                text=text,
                neighbourhood=hoods[n % len(hoods)],
                written_at=now - timezone.timedelta(days=(n * 37) % 175 + 1),
            )
        )
    TextItem.objects.bulk_create(new, ignore_conflicts=True)


def load_demo(city):
    services.sync_text_items(city)
    hoods = list(neighbourhoods_of(city).filter(is_pilot=True)) or list(neighbourhoods_of(city))
    if hoods:
        _archive(city, hoods)
    items = TextItem.objects.filter(city=city).count()
    if items >= MIN_ITEMS and not DiscoveryRun.objects.filter(city=city).exists():
        coordinator = User.objects.filter(username="coordinatrice").first()
        today = timezone.localdate()
        run = DiscoveryRun.objects.create(
            city=city,
            requested_by=coordinator,
            since=today - timezone.timedelta(days=services.DEFAULT_PERIOD_DAYS),
            until=today,
        )
        services.run_discovery(run)
    return summary(city)


def summary(city):
    """The themes' line of the demo report; printed after every app's demo, which may add texts."""
    run = DiscoveryRun.objects.filter(city=city).first()
    return _("Temi emergenti: %(items)d testi, %(themes)d temi proposti dall'ultima ricerca.") % {
        "items": TextItem.objects.filter(city=city).count(),
        "themes": run.theme_count if run else 0,
    }
