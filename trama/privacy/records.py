"""The records of processing (GDPR art. 30) and the retention schedule, written from the registry of personal data.

`manage.py privacy_records > docs/privacy.md` writes them; a test fails when the committed file and the
declarations disagree, so the document cannot drift from what the code keeps and for how long.
They are written in Italian, the language of the people and the authority who read them.
"""

from django.apps import apps
from django.conf import settings
from django.utils import translation

from .registry import Erase, registry
from .retention import keys

ERASED = {
    Erase.DELETE: "le righe sono cancellate",
    Erase.ANONYMISE: "le righe restano, rese anonime",
    Erase.REMOVE: "la persona è tolta dall'elenco; la riga resta",
    Erase.KEEP: "le righe restano: non identificano più la persona, la cui scheda è svuotata",
    Erase.CALL: "se ne occupa l'app stessa",
}
AT_EXPIRY = {Erase.DELETE: "righe cancellate", Erase.ANONYMISE: "righe rese anonime"}


def _field_name(field):
    name = str(field.verbose_name)
    return f"`{field.name}`" if name == field.name.replace("_", " ") else name


def _fields(model, names):
    return ", ".join(_field_name(model._meta.get_field(name)) for name in names)


def _cell(text):
    return " ".join(str(text).split()).replace("|", "\\|")


def _what_happens(declaration, expiry):
    erase = expiry.erase or declaration.erase
    what = AT_EXPIRY[erase.kind]
    emptied = [*erase.blank, *erase.unlink]
    if erase.kind == Erase.ANONYMISE and emptied and not expiry.function:
        what += f" (svuotati: {_fields(declaration.model, emptied)})"
    return what


def schedule_table():
    lines = [
        "| Dati | Il tempo si conta da | Mesi | Poi | Perché |",
        "|---|---|---|---|---|",
    ]
    for key, (declaration, expiry, months) in keys().items():
        model = declaration.model
        clock = _field_name(model._meta.get_field(expiry.clock))
        what = f"{model._meta.verbose_name_plural} (`{key}`)"
        lines.append(f"| {_cell(what)} | {_cell(clock)} | {months} | {_cell(_what_happens(declaration, expiry))} | {_cell(expiry.why)} |")
    lines.append(
        f"| file delle copie dei dati (`privacy.DataExport:file`) | pronto il | "
        f"{settings.TRAMA_PRIVACY_EXPORT_HOURS} ore | cancellato se non scaricato | Una copia dei dati si "
        "consegna una volta; il file non resta nel server. |"
    )
    lines.append(
        f"| risultati delle attività in background | concluse il | {settings.TRAMA_TASK_RESULTS_DAYS} giorni "
        f"({settings.TRAMA_FAILED_TASK_RESULTS_DAYS} se non riuscite) | cancellati | Contengono solo "
        "identificativi; il coordinamento vede due mesi di errori. |"
    )
    return lines


def records():
    """The whole document, as a string (Markdown)."""
    with translation.override("it"):
        return "\n".join(_records()) + "\n"


def _records():
    yield "# Registro delle attività di trattamento (art. 30 GDPR)"
    yield ""
    yield (
        "Scritto da `manage.py privacy_records > docs/privacy.md` a partire dal registro dei dati personali "
        "(`trama/<app>/personal_data.py`): non modificarlo a mano. `trama/privacy/tests/test_records.py` "
        "fallisce quando questo file e le dichiarazioni non corrispondono. "
        "(English: Trama's records of processing and retention schedule, generated from the registry.)"
    )
    yield ""
    yield (
        "Titolare del trattamento è il Comune che usa Trama; il responsabile della protezione dei dati e i "
        "responsabili esterni (chi ospita il server) li indica ciascuna installazione. Le misure di sicurezza "
        "sono descritte in `docs/security.md`. Ogni lettura e modifica di dati personali è registrata nel "
        "registro accessi. Ogni persona può chiedere la copia dei suoi dati (art. 15 e 20) e la loro "
        "cancellazione (art. 17), dalla sua scheda o dal suo profilo."
    )
    yield ""
    yield "## Periodi di conservazione"
    yield ""
    yield (
        "Ogni notte l'attività `privacy.apply_retention` (`manage.py apply_retention`; con `--dry-run` dice che "
        "cosa andrebbe senza toccare nulla) rende anonime o cancella le righe conservate oltre il periodo. Una "
        "riga ancora in corso (una richiesta aperta, una segnalazione seguita) non scade mai. Si rende anonimo, "
        "invece di cancellare, dove gli indicatori dei periodi chiusi contano le righe. Questi sono i periodi "
        "predefiniti; un'installazione può cambiarli con `TRAMA_RETENTION_MONTHS` (`docs/deploy.md`), mai sotto "
        "i 60 mesi per il registro accessi."
    )
    yield ""
    yield from schedule_table()
    by_app = {}
    for declaration in registry:
        by_app.setdefault(declaration.model._meta.app_config, []).append(declaration)
    for app_config, declarations in by_app.items():
        yield ""
        yield f"## {app_config.verbose_name} (`{app_config.label}`)"
        for declaration in declarations:
            model = declaration.model
            yield ""
            yield f"### {str(model._meta.verbose_name_plural).capitalize()} (`{declaration.label}`)"
            yield ""
            fields = [f.name for f in model._meta.concrete_fields if not f.primary_key]
            yield f"- **Che cosa**: {_fields(model, fields)}."
            if declaration.hidden or declaration.withheld:
                yield (f"- **Non consegnati nella copia dei dati**: {_fields(model, [*declaration.hidden, *declaration.withheld])}.")
            yield f"- **Perché**: {declaration.purpose}."
            yield f"- **Base giuridica**: {declaration.basis}."
            yield f"- **Per quanto tempo**: {declaration.retention}."
            yield f"- **Chi può vederli**: {declaration.seen_by}."
            yield f"- **Alla cancellazione chiesta dalla persona**: {ERASED[declaration.erase.kind]}."
    yield ""
    yield "## Tabelle senza dati personali"
    yield ""
    yield "Collegano un account solo per dire chi ha fatto il lavoro, o hanno testi che non parlano di persone:"
    yield ""
    for label, exemption in sorted(registry.exemptions.items()):
        yield f"- {apps.get_model(label)._meta.verbose_name_plural} (`{label}`): {exemption.reason}"
