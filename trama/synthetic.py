"""A synthetic city for load tests and benchmarks (`manage.py generate_city`).

Everything is made from one `random.Random(seed)` and a fixed reference date,
so the same arguments give the same records. Every record is recognisable as
synthetic: accounts and organisations have e-mails at SYNTHETIC_DOMAIN, people
are called "Persona sintetica N", and everything else hangs off them.
"""

import importlib
import math
import random
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from trama.attention.models import Antenna, Encounter, OutreachTask, Signal
from trama.collective.models import Group, Meeting, Membership, Suggestion
from trama.collective.services import refresh_suggestions
from trama.initiatives.models import (
    Agreement,
    AgreementParty,
    AutonomyAssessment,
    Commitment,
    Initiative,
    InterventionObject,
    Milestone,
    Participation,
    Partner,
    StageTransition,
)
from trama.market.models import Contribution, Match, Need, Offer
from trama.market.services import sector_of, value_of
from trama.market.text import stem_text
from trama.people.models import Consent, Organisation, Person, Role, User
from trama.territory.models import Place
from trama.themes.models import DiscoveryRun, Tag, TextItem, Theme, ThemeEvent, TraditionalCategory
from trama.themes.services import sync_text_items

SYNTHETIC_DOMAIN = "sintetico.invalid"
PERSON_PREFIX = "Persona sintetica "
DEFAULT_REFERENCE_DATE = date(2026, 11, 1)
BATCH = 5000

# How much of each kind of record a city of this size makes: per resident, or per 1,000 residents a year.
ENGAGED_SHARE = 0.025            # people known to the programme
ACCOUNT_SHARE = 0.15             # of those, with a citizen account
ORGANISATIONS_PER_1000 = 1.0
WORKERS_PER_1000 = 0.2
ANTENNAS_PER_1000 = 2.0
PERSON_OFFERS_PER_1000_YEAR = 2.5
ORG_OFFERS_PER_ORG_YEAR = 1.5
NEEDS_PER_1000_YEAR = 10
SIGNALS_PER_1000_YEAR = 6
ENCOUNTERS_PER_1000_YEAR = 20
ORG_CONTRIBUTIONS_PER_ORG_YEAR = 2
GROUPS_PER_1000_YEAR = 0.3
GROUP_MEETINGS_PER_YEAR = 8      # of an active group
TABLES_PER_NEIGHBOURHOOD_YEAR = 4  # neighbourhood tables (tavoli di quartiere)
INITIATIVES_PER_1000_YEAR = 0.15  # besides those groups turn into

# Phrase banks per theme: what an antenna notices (third person), extra details,
# what someone asks for (first person), what is offered (kind, title, description)
# and what a worker writes after meeting someone.
THEMES = {
    "solitudine": {
        "signal": [
            "La signora del terzo piano non esce quasi più di casa",
            "Un signore anziano viene in negozio solo per scambiare due parole",
            "Da quando è morta la moglie il signor vicino di casa sembra molto giù",
            "Una cliente mi ha detto che passa intere giornate senza parlare con nessuno",
            "Un uomo solo si siede ogni giorno sulla panchina davanti alla farmacia",
            "La vicina non risponde più al citofono e ha le tapparelle sempre abbassate",
        ],
        "detail": [
            "I figli vivono lontano e vengono raramente.",
            "Dice che la sera è la parte più difficile.",
            "Non ha amici in quartiere da quando si è trasferita.",
            "Ha smesso di andare al centro anziani.",
            "Parla spesso del marito che non c'è più.",
        ],
        "need": [
            "Vivo da sola e vorrei qualcuno con cui fare due chiacchiere ogni tanto.",
            "Mi sento molto solo, cerco compagnia per una passeggiata.",
            "Da quando sono in pensione non vedo più nessuno, mi piacerebbe conoscere gente del quartiere.",
            "Vorrei qualcuno che mi telefoni ogni tanto per sapere come sto.",
            "Cerco un gruppo per giocare a carte il pomeriggio.",
        ],
        "offer": [
            ("time", "Compagnia e due chiacchiere", "Passo volentieri un'ora con chi è solo, anche solo per un caffè"),
            ("time", "Passeggiate insieme", "Cammino ogni mattina e mi farebbe piacere avere compagnia"),
            ("time", "Telefonate amiche", "Chiamo le persone sole una volta alla settimana per sapere come stanno"),
            ("space", "Sala per il gioco delle carte", "Il circolo apre la sala per giocare a carte e a tombola"),
        ],
        "note": [
            "Incontrata a casa, molto contenta della visita, vorrebbe partecipare al gruppo del giovedì.",
            "Parlato a lungo, si sente sola soprattutto la sera; proposto il caffè del punto di comunità.",
            "Accetta di essere chiamata una volta alla settimana da un volontario.",
        ],
    },
    "digitale": {
        "signal": [
            "Una signora anziana non riesce a prenotare le visite con lo SPID",
            "Un cliente mi chiede sempre di aiutarlo con il telefono perché non sa usare WhatsApp",
            "Il signore del primo piano ha ricevuto un nuovo smartphone ma non sa accenderlo",
            "Una persona è venuta in farmacia perché non riesce a scaricare la ricetta elettronica",
            "Un pensionato non sa come fare la domanda online per il bonus",
        ],
        "detail": [
            "Non ha nessuno in famiglia che possa aiutarlo con il computer.",
            "Ha paura di sbagliare e di perdere i soldi.",
            "Dice che le app cambiano continuamente.",
            "Non ha la mail e non sa come crearla.",
        ],
        "need": [
            "Non so usare lo smartphone e vorrei imparare a fare le videochiamate con i nipoti.",
            "Mi serve aiuto per attivare lo SPID e prenotare le visite.",
            "Vorrei imparare a usare il computer per cercare lavoro online.",
            "Non riesco a usare l'app della banca, qualcuno mi può spiegare?",
            "Ho bisogno di una mano per scaricare il fascicolo sanitario.",
        ],
        "offer": [
            ("skill", "Aiuto con smartphone e SPID", "Spiego con pazienza come usare telefono, app e SPID"),
            ("skill", "Sportello digitale", "Un pomeriggio alla settimana aiutiamo con computer, mail e pratiche online"),
            ("knowhow", "Corso base di computer", "Insegno a usare il computer, la posta elettronica e internet"),
            ("goods", "Computer ricondizionati", "Regaliamo computer e tablet usati ma funzionanti"),
        ],
        "note": [
            "Attivato lo SPID insieme, la persona tornerà per imparare a prenotare le visite.",
            "Aiutata a installare WhatsApp, ora riesce a chiamare la figlia.",
            "Inviata allo sportello digitale della biblioteca.",
        ],
    },
    "casa_bollette": {
        "signal": [
            "Una famiglia del palazzo ha ricevuto lo sfratto e non sa dove andare",
            "Un signore mi ha detto che non riesce più a pagare le bollette della luce",
            "Una donna con due bambini vive in un appartamento con la muffa e senza riscaldamento",
            "Un cliente è preoccupato perché gli hanno staccato il gas",
            "La signora è indietro con l'affitto da tre mesi",
        ],
        "detail": [
            "Ha paura di chiedere aiuto ai servizi.",
            "Il padrone di casa ha già mandato una lettera.",
            "In inverno la casa è gelida.",
            "Sta pagando un debito vecchio e non ce la fa.",
        ],
        "need": [
            "Non riesco a pagare le bollette del gas, cosa posso fare?",
            "Ho ricevuto lo sfratto e cerco aiuto per trovare una casa.",
            "Cerco qualcuno che mi aiuti a capire le bollette e a chiedere il bonus energia.",
            "La caldaia è rotta e non ho i soldi per ripararla.",
            "Mi serve una mano per fare domanda per la casa popolare.",
        ],
        "offer": [
            ("skill", "Consulenza sulle bollette", "Aiuto a leggere le bollette, cambiare contratto e chiedere i bonus"),
            ("knowhow", "Piccole riparazioni in casa", "Sono idraulico in pensione, sistemo rubinetti e caldaie"),
            ("money", "Fondo per le bollette", "Contributo una tantum per famiglie in difficoltà con le utenze"),
            ("skill", "Sportello casa", "Orientamento su affitti, sfratti e domande per la casa popolare"),
        ],
        "note": [
            "Verificato il diritto al bonus sociale, fissato appuntamento al CAF.",
            "Contattato il servizio casa, la famiglia sarà richiamata.",
            "Aiutata a preparare la domanda per il fondo affitti.",
        ],
    },
    "compiti": {
        "signal": [
            "Una mamma della scuola mi ha detto che il figlio va male in matematica e non può pagare ripetizioni",
            "Due ragazzini passano tutto il pomeriggio in strada invece di fare i compiti",
            "Un bambino arriva a scuola senza aver fatto i compiti perché i genitori lavorano fino a tardi",
            "Una famiglia straniera non riesce ad aiutare le figlie con i compiti di italiano",
        ],
        "detail": [
            "La maestra ha già segnalato che rischia di essere bocciato.",
            "I genitori non parlano bene l'italiano.",
            "In casa non hanno un computer per le ricerche.",
            "La mamma è sola e fa i turni.",
        ],
        "need": [
            "Mio figlio ha bisogno di aiuto con i compiti di matematica.",
            "Cerco un doposcuola gratuito per mia figlia di terza media.",
            "Mi servirebbe qualcuno che aiuti i miei bambini con l'inglese.",
            "Mio figlio deve recuperare il debito di latino quest'estate.",
            "Cerco aiuto per i compiti, io non riesco a seguire i miei figli.",
        ],
        "offer": [
            ("time", "Doposcuola: compiti in compagnia", "Ragazzi e volontari fanno i compiti insieme il pomeriggio"),
            ("skill", "Ripetizioni di matematica", "Insegnante in pensione, aiuto con matematica e fisica"),
            ("skill", "Aiuto con l'inglese", "Studentessa universitaria aiuta con l'inglese bambini e ragazzi"),
            ("space", "Aula studio del pomeriggio", "La parrocchia apre un'aula per studiare in silenzio"),
        ],
        "note": [
            "Iscritto al doposcuola del martedì e giovedì.",
            "Parlato con la mamma, il ragazzo verrà all'aula studio.",
            "Trovata una volontaria per matematica, primo incontro fissato.",
        ],
    },
    "caregiver": {
        "signal": [
            "Una signora assiste da sola il marito malato di Alzheimer ed è esausta",
            "Il figlio si occupa della madre allettata e non dorme da settimane",
            "Una donna mi ha detto che non esce mai perché non può lasciare il padre solo",
            "Una coppia anziana si prende cura del figlio disabile e non ce la fa più",
        ],
        "detail": [
            "Non sa a chi chiedere per avere un aiuto a casa.",
            "Ha dovuto lasciare il lavoro per assisterlo.",
            "La badante se n'è andata il mese scorso.",
            "Ha bisogno di qualche ora di respiro.",
        ],
        "need": [
            "Assisto mia madre malata e avrei bisogno di qualche ora libera alla settimana.",
            "Cerco qualcuno che stia con mio padre mentre vado a fare la spesa.",
            "Mi occupo di mio marito con demenza e vorrei parlare con altri nella stessa situazione.",
            "Ho bisogno di informazioni per l'assegno di cura e l'accompagnamento.",
        ],
        "offer": [
            ("time", "Qualche ora di sollievo", "Sto con la persona assistita mentre chi la cura si prende una pausa"),
            ("knowhow", "Gruppo di auto mutuo aiuto per chi assiste", "Ci incontriamo ogni due settimane per parlare e sostenerci"),
            ("skill", "Informazioni su invalidità e accompagnamento", "Spiego come fare le domande e a chi rivolgersi"),
        ],
        "note": [
            "La figlia è molto stanca, proposto il gruppo per chi assiste.",
            "Attivate due ore di sollievo al sabato con una volontaria.",
            "Dato il numero dello sportello per l'assegno di cura.",
        ],
    },
    "lavoro": {
        "signal": [
            "Un papà del quartiere ha perso il lavoro e si vergogna a chiedere aiuto",
            "Un ragazzo mi ha detto che cerca lavoro da mesi senza risultati",
            "La ditta dove lavorava il signore ha chiuso e lui non sa come andare avanti",
            "Una donna di cinquant'anni è stata licenziata e non trova niente",
        ],
        "detail": [
            "Ha finito la disoccupazione.",
            "Non sa come si scrive un curriculum.",
            "La famiglia vive con un solo stipendio.",
            "Ha iniziato a bere e a stare sempre al bar.",
        ],
        "need": [
            "Ho perso il lavoro e cerco aiuto per scrivere il curriculum.",
            "Cerco lavoro come badante o nelle pulizie.",
            "Vorrei fare un corso per trovare lavoro come magazziniere.",
            "Sono disoccupato da un anno, qualcuno mi può aiutare a cercare?",
        ],
        "offer": [
            ("skill", "Aiuto per il curriculum", "Ti aiuto a scrivere il curriculum e a prepararti al colloquio"),
            ("knowhow", "Orientamento al lavoro", "Sportello con informazioni su offerte, corsi e centri per l'impiego"),
            ("skill", "Simulazioni di colloquio", "Ex responsabile del personale, faccio provare i colloqui"),
        ],
        "note": [
            "Scritto il curriculum insieme, inviato a due agenzie.",
            "Orientato al centro per l'impiego e al corso di formazione.",
            "Molto scoraggiato, concordato un nuovo incontro tra una settimana.",
        ],
    },
    "trasporti": {
        "signal": [
            "Una signora non riesce ad andare alle visite in ospedale perché non ha la macchina",
            "Un anziano con il deambulatore non riesce a prendere l'autobus",
            "Il signore deve fare la dialisi tre volte alla settimana e nessuno lo accompagna",
            "Una persona in carrozzina resta chiusa in casa perché l'ascensore è rotto",
        ],
        "detail": [
            "Il taxi costa troppo per la sua pensione.",
            "La fermata dell'autobus è lontana.",
            "I figli lavorano e non possono accompagnarla.",
        ],
        "need": [
            "Mi serve un passaggio per andare alle visite in ospedale.",
            "Non guido più e cerco qualcuno che mi accompagni a fare la spesa il sabato.",
            "Ho bisogno di un accompagnamento per la fisioterapia due volte alla settimana.",
            "Cerco un passaggio per portare mia madre dal medico.",
        ],
        "offer": [
            ("time", "Passaggi in auto per visite mediche", "Accompagno in macchina chi deve andare in ospedale o dal medico"),
            ("time", "Accompagnamento per la spesa", "Volontari che accompagnano a fare la spesa e aiutano a portarla a casa"),
            ("space", "Pulmino attrezzato", "Il nostro pulmino con pedana è disponibile per accompagnamenti"),
        ],
        "note": [
            "Organizzato l'accompagnamento per le visite del mese.",
            "Segnalato il problema dell'ascensore all'amministratore.",
            "Trovato un volontario con l'auto per la fisioterapia.",
        ],
    },
    "cibo": {
        "signal": [
            "Una famiglia compra solo pane e pasta e chiede sempre di pagare la settimana dopo",
            "Un signore anziano prende la roba scaduta che buttiamo la sera",
            "Una mamma mi ha chiesto se avanzano cose da mangiare per i bambini",
            "Un uomo è molto dimagrito e dice che salta i pasti",
        ],
        "detail": [
            "Alla fine del mese non hanno più soldi.",
            "Si vergogna ad andare all'emporio solidale.",
            "Il frigorifero è quasi sempre vuoto.",
        ],
        "need": [
            "Alla fine del mese non riesco a fare la spesa, cerco aiuto con il cibo.",
            "Cerco pacchi alimentari per la mia famiglia di quattro persone.",
            "Mi servirebbero latte e pannolini per il bambino.",
            "Vorrei sapere come accedere all'emporio solidale.",
        ],
        "offer": [
            ("goods", "Pacchi alimentari solidali", "Generi alimentari e prodotti per la casa, senza domande"),
            ("goods", "Pane e verdura invenduti", "Ogni sera regaliamo il pane e la verdura rimasti"),
            ("time", "Pranzo condiviso della domenica", "Cuciniamo insieme e mangiamo in compagnia"),
            ("money", "Buoni spesa", "Buoni spesa per famiglie in difficoltà"),
        ],
        "note": [
            "Consegnato il primo pacco, la famiglia è stata inviata all'emporio.",
            "Proposto il pranzo della domenica, ha accettato volentieri.",
            "Attivati i buoni spesa per due mesi.",
        ],
    },
    "lingua": {
        "signal": [
            "Una donna arrivata da poco non parla italiano e non capisce cosa le dice il medico",
            "Un ragazzo straniero non riesce a compilare i moduli per il permesso di soggiorno",
            "Una mamma non capisce gli avvisi della scuola perché non legge l'italiano",
            "Una famiglia appena arrivata non sa come iscrivere i figli a scuola",
        ],
        "detail": [
            "Il marito lavora tutto il giorno e lei è sempre in casa.",
            "Parla solo arabo e un po' di francese.",
            "Ha paura di perdere il permesso.",
        ],
        "need": [
            "Vorrei imparare l'italiano per parlare con le maestre di mio figlio.",
            "Cerco un corso di italiano gratuito la sera.",
            "Ho bisogno di qualcuno che traduca i documenti per il permesso di soggiorno.",
            "Non capisco le lettere del comune, mi serve aiuto con l'italiano.",
        ],
        "offer": [
            ("skill", "Italiano per stranieri", "Lezioni di italiano per adulti, livello base"),
            ("skill", "Traduzioni dall'arabo", "Aiuto a tradurre documenti e ad accompagnare dal medico"),
            ("knowhow", "Conversazione in italiano", "Ci troviamo per parlare italiano bevendo un tè"),
        ],
        "note": [
            "Iscritta al corso di italiano del mercoledì.",
            "Accompagnata in segreteria per l'iscrizione dei figli.",
            "Trovata una mediatrice per il prossimo appuntamento dal medico.",
        ],
    },
    "giovani": {
        "signal": [
            "Un ragazzo di sedici anni ha lasciato la scuola e passa le giornate chiuso in camera",
            "Un gruppo di ragazzi si ritrova la sera nel parco e beve molto",
            "Una ragazza sembra molto triste e mi ha detto che a scuola la prendono in giro",
            "Un adolescente non esce più di casa e gioca ai videogiochi tutta la notte",
        ],
        "detail": [
            "I genitori non sanno più cosa fare.",
            "Non ha amici e non fa sport.",
            "Ha parlato di voler sparire.",
            "A scuola ha molte assenze.",
        ],
        "need": [
            "Mio figlio non esce più di casa, cerco un'attività che lo faccia stare con altri ragazzi.",
            "Cerco un posto dove i ragazzi possano fare sport gratis.",
            "Mia figlia è vittima di bullismo, vorrei parlare con qualcuno.",
            "Vorrei che mio figlio facesse un'esperienza di volontariato.",
        ],
        "offer": [
            ("space", "Spazio giovani aperto il pomeriggio", "Musica, giochi e laboratori per ragazzi dai 14 anni"),
            ("time", "Calcio di strada", "Allenamenti gratuiti al campetto per ragazzi e ragazze"),
            ("knowhow", "Laboratorio di musica", "Insegno chitarra e batteria ai ragazzi"),
        ],
        "note": [
            "Il ragazzo è venuto allo spazio giovani, sembra interessato al laboratorio di musica.",
            "Parlato con i genitori, concordato un incontro con lo psicologo del consultorio.",
            "Coinvolti i ragazzi del parco nel torneo di calcio.",
        ],
    },
    "salute": {
        "signal": [
            "Una signora anziana dimentica di prendere le medicine",
            "Un cliente diabetico non riesce a fare i controlli perché è solo",
            "Il signore è caduto in casa due volte questo mese",
            "Una donna rinuncia a curarsi perché le visite costano troppo",
        ],
        "detail": [
            "Il medico di base non lo vede da molto tempo.",
            "Non ha il telesoccorso.",
            "Confonde le scatole dei farmaci.",
        ],
        "need": [
            "Mi servirebbe qualcuno che mi porti le medicine a casa.",
            "Sono caduta e ho paura di restare sola in casa.",
            "Cerco aiuto per prenotare le visite e ritirare gli esami.",
            "Vorrei qualcuno che mi ricordi di prendere le pastiglie.",
        ],
        "offer": [
            ("time", "Consegna dei farmaci a domicilio", "Ritiro le ricette e porto i farmaci a casa"),
            ("skill", "Controllo della pressione", "Infermiera volontaria misura pressione e glicemia"),
            ("goods", "Ausili sanitari in prestito", "Prestiamo deambulatori, stampelle e sedie a rotelle"),
        ],
        "note": [
            "Organizzata la consegna settimanale dei farmaci.",
            "Contattato il medico di base per una visita a domicilio.",
            "Proposto il telesoccorso, la famiglia ci pensa.",
        ],
    },
}
THEME_NAMES = list(THEMES)

# Said of any situation: added to some signals and needs so texts vary beyond their theme.
SIGNAL_CLOSERS = [
    "Mi sembra giusto segnalarlo.", "Non so se ha parenti in zona.", "Passa in negozio quasi ogni giorno.",
    "Mi preoccupa un po'.", "Forse è il caso di passare a trovarla.", "Non vorrei essere invadente.",
    "Lo conosco da anni, non è mai stato così.", "Abita vicino alla chiesa.", "",
]
NEED_CLOSERS = [
    "Grazie in anticipo.", "Sono disponibile il pomeriggio.", "Vivo da sola.", "Abito vicino al parco.",
    "Non ho la macchina.", "Anche solo una volta al mese va bene.", "",
]
WHEN = ["il sabato mattina", "la sera", "nel fine settimana", "il martedì", "quando serve", "una volta al mese",
        "tutti i giorni", "il lunedì pomeriggio", "su appuntamento"]
OUTREACH_PLANS = [
    "Passare insieme all'antenna nel negozio e presentarsi.", "Telefonare e proporre un incontro al punto di comunità.",
    "Portare l'invito al pranzo della domenica.", "Suonare il campanello con la vicina che ha segnalato.",
]
OUTREACH_RESULTS = {
    OutreachTask.Status.DONE: ["Incontro avvenuto, la persona è disponibile a rivederci.", "Parlato a lungo, fissato un nuovo appuntamento."],
    OutreachTask.Status.NOT_REACHED: ["Nessuno in casa, lasciato un biglietto.", "Il telefono squilla a vuoto."],
    OutreachTask.Status.CANCELLED: ["La situazione si è risolta da sola.", "Già seguita da un altro servizio."],
}
ORGANISATION_KINDS = [
    (Organisation.Sector.THIRD_SECTOR, "Associazione", 30), (Organisation.Sector.THIRD_SECTOR, "Cooperativa", 10),
    (Organisation.Sector.BUSINESS, "Negozio", 25), (Organisation.Sector.FAITH, "Parrocchia", 10),
    (Organisation.Sector.SCHOOL, "Scuola", 10), (Organisation.Sector.PUBLIC, "Ufficio comunale", 5),
    (Organisation.Sector.INFORMAL, "Gruppo di vicinato", 10),
]
# Offer kind -> (contribution kind, quantity range)
CONTRIBUTION_OF_OFFER = {
    "time": (Contribution.Kind.HOURS, (1, 20)), "skill": (Contribution.Kind.HOURS, (1, 12)),
    "knowhow": (Contribution.Kind.HOURS, (1, 10)), "space": (Contribution.Kind.SPACE_HOURS, (2, 40)),
    "goods": (Contribution.Kind.GOODS, (1, 30)), "money": (Contribution.Kind.EUROS, (20, 500)),
}
_NO_ACCENTS = str.maketrans("àèéìòù", "aeeiou")
_SLANG = [(" perché ", " xké "), (" non ", " nn "), (" che ", " ke "), (" per ", " x "), ("ciao", "ciaoo")]


GROUP_PREFIX = "Gruppo sintetico "
INITIATIVE_PREFIX = "Iniziativa sintetica "
OBJECT_SLUG_PREFIX = "sintetico-"
# The activities of the synthetic city: (slug, name, description, themes it usually answers).
ACTIVITIES = [
    ("compiti", "Compiti insieme", "Pomeriggi di compiti con volontari, per ragazzi di medie e superiori.", ["scuola", "giovani"]),
    ("pranzo", "Pranzo condiviso", "Un pranzo al mese cucinato insieme e aperto al quartiere.", ["solitudine", "cibo"]),
    ("riparazioni", "Angolo delle riparazioni", "Si aggiusta insieme: biciclette, piccoli elettrodomestici, vestiti.", ["casa_bollette", "lavoro"]),
    ("cammino", "Gruppo di cammino", "Passeggiate di un'ora due volte alla settimana.", ["solitudine", "salute"]),
    ("digitale", "Caffè digitale", "Un caffè e una mano con telefono, SPID e pratiche online.", ["digitale"]),
    ("italiano", "Chiacchiere in italiano", "Conversazione in italiano per chi sta imparando la lingua.", ["lingua"]),
    ("passaggi", "Passaggi di quartiere", "Volontari con l'auto per visite e commissioni.", ["trasporti", "salute"]),
    ("orto", "Orto condiviso", "Un orto curato insieme, con la raccolta divisa tra chi partecipa.", ["cibo", "caregiver"]),
]
MILESTONES = ["Primo incontro aperto", "Trovato uno spazio stabile", "Dieci partecipanti regolari",
              "Una persona del gruppo coordina", "Prima raccolta di fondi", "Calendario dell'anno"]
PARTNER_ROLES = [(Partner.Role.PROMOTER, 3), (Partner.Role.CO_MANAGER, 3), (Partner.Role.HOST, 3), (Partner.Role.FUNDER, 1),
                 (Partner.Role.VOLUNTEERS, 2)]

# The themes discovery found and the team named, one per phrase bank: (name in people's words,
# key phrases as the engine shows them, traditional categories it touches, outside all of them).
# One is left undecided (no category, not marked outside), as happens while the team discusses it.
NAMED_THEMES = {
    "solitudine": ("Soli in casa", ["sola", "compagnia", "due chiacchiere", "sera", "amici"], [], True),
    "digitale": ("Il telefono e lo SPID non li so usare", ["spid", "smartphone", "computer", "app", "prenotare le visite"], [], True),
    "casa_bollette": ("Bollette e affitto che non si riesce a pagare", ["bollette", "sfratto", "affitto", "casa popolare", "bonus"],
                      ["poverta_adulti", "poverta"], False),
    "compiti": ("Compiti senza nessuno che aiuti", ["compiti", "matematica", "doposcuola", "ripetizioni", "inglese"],
                ["famiglia_minori", "infanzia_famiglia"], False),
    "caregiver": ("Chi assiste non ha mai respiro", ["assiste", "malato", "qualche ora", "alzheimer", "sollievo"],
                  ["anziani", "disabili", "disabilita"], False),
    "lavoro": ("Rimasti senza lavoro", ["lavoro", "curriculum", "disoccupato", "licenziata", "colloquio"], ["poverta_adulti"], False),
    "trasporti": ("Nessuno che accompagni alle visite", ["passaggio", "visite in ospedale", "accompagni", "autobus", "macchina"], [], False),
    "cibo": ("A fine mese non c'è da mangiare", ["spesa", "pacchi alimentari", "fine del mese", "emporio solidale", "pasti"],
             ["poverta_adulti", "poverta"], False),
    "lingua": ("L'italiano degli uffici e della scuola", ["italiano", "permesso di soggiorno", "corso", "tradurre", "documenti"],
               ["immigrati"], False),
    "giovani": ("Ragazzi chiusi in camera", ["ragazzi", "figlio", "esce più di casa", "bullismo", "scuola"], [], True),
    "salute": ("Medicine, cadute e visite saltate", ["medicine", "caduta", "visite", "farmaci", "medico"], ["anziani"], False),
}
DISCOVERY_DAYS_BEFORE_END = 30   # the one discovery run; texts written after it were tagged on arrival
UNTAGGED_SHARE = 0.05            # texts no theme fits well enough
PERSON_TAG_SHARE = 0.02          # texts a worker tagged by hand
TAG_CONFIDENCE = (0.6, 0.95)


def synthetic_users():
    return User.objects.filter(email__endswith="@" + SYNTHETIC_DOMAIN)


def real_data_exists():
    """True when the database holds people, signals or offers that the generator did not make."""
    synthetic_offers = Offer.objects.filter(
        Q(person__display_name__startswith=PERSON_PREFIX) | Q(organisation__email__endswith="@" + SYNTHETIC_DOMAIN))
    synthetic_signals = Signal.objects.filter(sent_by__email__endswith="@" + SYNTHETIC_DOMAIN)
    return (
        Person.objects.exclude(display_name__startswith=PERSON_PREFIX).exists()
        or Signal.objects.exclude(pk__in=synthetic_signals.values("pk")).exists()
        or Offer.objects.exclude(pk__in=synthetic_offers.values("pk")).exists()
    )


def delete_synthetic():
    """Remove what an earlier run generated, and nothing else."""
    accounts = synthetic_users()
    people = Person.objects.filter(display_name__startswith=PERSON_PREFIX)
    organisations = Organisation.objects.filter(email__endswith="@" + SYNTHETIC_DOMAIN)
    initiatives = Initiative.objects.filter(name__startswith=INITIATIVE_PREFIX)
    Theme.objects.filter(named_by__in=accounts).delete()  # with their tags and events
    DiscoveryRun.objects.filter(requested_by__in=accounts).delete()
    Agreement.objects.filter(initiative__in=initiatives).delete()
    initiatives.delete()
    Group.objects.filter(name__startswith=GROUP_PREFIX).delete()
    Meeting.objects.filter(created_by__in=accounts).delete()
    InterventionObject.objects.filter(slug__startswith=OBJECT_SLUG_PREFIX).delete()
    Encounter.objects.filter(worker__in=accounts).delete()
    OutreachTask.objects.filter(assigned_to__in=accounts).delete()
    Signal.objects.filter(sent_by__in=accounts).delete()
    Contribution.objects.filter(Q(person__in=people) | Q(organisation__in=organisations)).delete()
    Need.objects.filter(person__in=people).delete()
    Offer.objects.filter(Q(person__in=people) | Q(organisation__in=organisations)).delete()
    people.delete()
    organisations.delete()
    accounts.delete()


@contextmanager
def _dates_as_given(models):
    """Let bulk_create keep the dates we set: a city spread over years is the point of the data."""
    fields = [f for model in models for f in model._meta.concrete_fields
              if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def allocate(total, weights):
    """Split `total` in proportion to `weights` (largest remainder): the counts add up exactly."""
    whole = sum(weights) or 1
    shares = [total * w / whole for w in weights]
    counts = [math.floor(s) for s in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: (counts[i] - shares[i], i))
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


class CityGenerator:
    """Builds the records of one synthetic city in memory, then writes them in batches."""

    def __init__(self, city, residents, years, seed, reference_date=None, log=None):
        self.city = city
        self.residents = residents
        self.years = years
        self.rng = random.Random(seed)
        self.log = log or (lambda message: None)
        self.zone = ZoneInfo(settings.TIME_ZONE)
        self.end = reference_date or DEFAULT_REFERENCE_DATE
        self.start = self.end - timedelta(days=round(365 * years))
        self.hoods = list(city.neighbourhoods.order_by("pk"))
        self.weights = [h.population or 1 for h in self.hoods]
        self.places = {}
        for place in Place.objects.filter(neighbourhood__in=self.hoods).order_by("pk"):
            self.places.setdefault(place.neighbourhood_id, []).append(place)
        self.counts = {}
        self.theme_of = {}  # (text item source, source id) -> the phrase bank its text was written from

    # Helpers ---------------------------------------------------------------

    def moment(self, after=None, before=None):
        """A local working-hours datetime between two dates; later dates likelier, as the programme grows."""
        first = after.date() if isinstance(after, datetime) else (after or self.start)
        last = before or self.end
        span = max((last - first).days, 0)
        day = first + timedelta(days=int(span * self.rng.random() ** 0.7))
        clock = time(self.rng.randrange(8, 20), self.rng.randrange(60), self.rng.randrange(60))
        moment = datetime.combine(day, clock, tzinfo=self.zone)
        return max(moment, after) if isinstance(after, datetime) else moment

    def later(self, moment, min_days, max_days):
        """`moment` plus some days, never past the reference date (None if it would be)."""
        result = moment + timedelta(days=self.rng.uniform(min_days, max_days))
        return result if result.date() <= self.end else None

    def roughen(self, text):
        """Typos and shortcuts as people write them, in some texts."""
        rng = self.rng
        r = rng.random()
        if r < 0.12:
            text = text.translate(_NO_ACCENTS)
        elif r < 0.2:
            text = text.lower()
        if rng.random() < 0.25:
            words = text.split(" ")
            i = rng.randrange(len(words))
            word = words[i]
            if len(word) > 4:
                j = rng.randrange(1, len(word) - 2)
                words[i] = word[:j] + word[j + 1] + word[j] + word[j + 2:]
            text = " ".join(words)
        if rng.random() < 0.12:
            before, after = rng.choice(_SLANG)
            text = f" {text} ".replace(before, after, 1).strip()
        if rng.random() < 0.15:
            text = text.rstrip(".")
        return text

    def theme(self):
        return self.rng.choice(THEME_NAMES)

    def signal_text(self, theme):
        bank, rng = THEMES[theme], self.rng
        parts = [rng.choice(bank["signal"]) + ".", rng.choice(bank["detail"])]
        if rng.random() < 0.15:
            parts.append(rng.choice(THEMES[self.theme()]["detail"]))
        parts.append(rng.choice(SIGNAL_CLOSERS))
        return self.roughen(" ".join(dict.fromkeys(p for p in parts if p)))

    def need_text(self, theme):
        bank, rng = THEMES[theme], self.rng
        parts = rng.sample(bank["need"], 2 if rng.random() < 0.3 else 1) + [rng.choice(NEED_CLOSERS)]
        return self.roughen(" ".join(p for p in parts if p))

    def write(self, model, objects, label=None):
        for start in range(0, len(objects), BATCH):
            model.objects.bulk_create(objects[start:start + BATCH])
        if label:
            self.counts[label] = self.counts.get(label, 0) + len(objects)
            self.log(f"{label}: {len(objects)}")
        return objects

    def link(self, relation, pairs):
        """Bulk-insert the rows of a many-to-many through table: (source, target) pairs."""
        through = relation.through
        source, target = relation.field.m2m_field_name(), relation.field.m2m_reverse_field_name()
        rows = [through(**{f"{source}_id": a.pk, f"{target}_id": b.pk}) for a, b in pairs]
        self.write(through, rows)

    # The city --------------------------------------------------------------

    def run(self):
        with _dates_as_given([Organisation, Person, Consent, Antenna, Offer, Need, Match, Contribution, OutreachTask, Encounter,
                              Group, Meeting, InterventionObject, Initiative, Commitment, AutonomyAssessment, Agreement]):
            self.make_organisations()
            self.make_accounts()
            self.make_people()
            self.make_market()
            self.make_attention()
            self.make_collective()
            self.make_initiatives()
        # The themes app's copy of the texts (needs, signals, encounter notes), as its signals would have made it.
        self.counts[_("testi per i temi")] = sync_text_items(self.city)[0]
        self.log(f"{_('testi per i temi')}: {self.counts[_('testi per i temi')]}")
        with _dates_as_given([DiscoveryRun, Theme, Tag]):
            self.make_themes()
        # The suggestions to convene a group, as the collective app's refresh would have left them that evening.
        evening, before = datetime.combine(self.end, time(20), tzinfo=self.zone), timezone.now()
        created, _updated, _deleted = refresh_suggestions(self.city, now=evening)
        Suggestion.objects.filter(city=self.city, created_at__gte=before).update(created_at=evening, updated_at=evening)
        self.counts[_("proposte di gruppo")] = created
        self.log(f"{_('proposte di gruppo')}: {created}")
        return self.counts

    def make_organisations(self):
        rng, per_thousand = self.rng, self.residents / 1000
        kinds, kind_weights = ORGANISATION_KINDS, [k[2] for k in ORGANISATION_KINDS]
        self.organisations = []
        for n in range(1, max(3, round(per_thousand * ORGANISATIONS_PER_1000)) + 1):
            sector, word, _weight = rng.choices(kinds, kind_weights)[0]
            self.organisations.append(Organisation(
                city=self.city, name=f"{word} sintetica {n}", sector=sector, email=f"org{n}@{SYNTHETIC_DOMAIN}",
                description=f"Organizzazione sintetica generata per le prove di carico ({word.lower()}).",
                created_at=self.moment(),
            ))
        self.write(Organisation, self.organisations, _("organizzazioni"))
        self.link(Organisation.neighbourhoods, [
            (org, hood) for org in self.organisations for hood in self.pick_hoods(rng.randrange(1, 4))])

    def pick_hoods(self, k):
        chosen = []
        while len(chosen) < min(k, len(self.hoods)):
            hood = self.rng.choices(self.hoods, self.weights)[0]
            if hood not in chosen:
                chosen.append(hood)
        return chosen

    def account(self, role, n, first_name):
        return User(
            username=f"sintetico-{role}-{n}", email=f"{role}{n}@{SYNTHETIC_DOMAIN}", role=role, city=self.city,
            first_name=first_name, last_name=f"sintetico {n}", is_active=True,
            # Unusable, as make_password(None) makes, but from the seed: the benchmark logs in with force_login.
            password="!" + "".join(self.rng.choices("abcdefghijklmnopqrstuvwxyz0123456789", k=40)),
            date_joined=self.moment(before=self.start + timedelta(days=60)),
        )

    def make_accounts(self):
        rng, per_thousand, n_hoods = self.rng, self.residents / 1000, len(self.hoods)
        coordinators = [self.account(Role.COORDINATOR, n, "Coordinatore") for n in range(1, max(1, round(per_thousand / 100)) + 1)]
        workers = [self.account(Role.WORKER, n, "Operatore")
                   for n in range(1, max(n_hoods, round(per_thousand * WORKERS_PER_1000)) + 1)]
        partners = [self.account(Role.PARTNER, n, "Partner") for n in range(1, max(1, len(self.organisations) // 2) + 1)]
        antennas = [self.account(Role.ANTENNA, n, "Antenna")
                    for n in range(1, max(n_hoods, round(per_thousand * ANTENNAS_PER_1000)) + 1)]
        self.write(User, coordinators + workers + partners + antennas, _("account di operatori, partner e antenne"))
        self.coordinators = coordinators

        # Every neighbourhood has at least one worker and one antenna; the rest follow the population.
        self.workers_of, self.antennas_of = {h.pk: [] for h in self.hoods}, {h.pk: [] for h in self.hoods}
        scope = []
        for staff, of in ((workers, self.workers_of), (antennas, self.antennas_of)):
            counts = [1 + c for c in allocate(len(staff) - n_hoods, self.weights)]
            position = 0
            for hood, count in zip(self.hoods, counts):
                for user in staff[position:position + count]:
                    of[hood.pk].append(user)
                    scope.append((user, hood))
                position += count
        self.link(User.neighbourhoods, scope)
        self.link(Organisation.members, [(org, partners[i % len(partners)]) for i, org in enumerate(self.organisations)])

        profiles = [
            Antenna(account=user, kind=rng.choice(Antenna.Kind.values), active=rng.random() < 0.9,
                    organisation=rng.choice(self.organisations) if rng.random() < 0.3 else None,
                    email_updates=rng.random() < 0.4, onboarded_by=rng.choice(self.workers_of[hood.pk]),
                    created_at=user.date_joined)
            for user, hood in scope if user.role == Role.ANTENNA
        ]
        self.write(Antenna, profiles, _("antenne"))

    def make_people(self):
        rng = self.rng
        total = max(len(self.hoods), round(self.residents * ENGAGED_SHARE))
        channels = Person.Channel.values
        self.people, self.people_of = [], {h.pk: [] for h in self.hoods}
        n = 0
        for hood, count in zip(self.hoods, allocate(total, self.weights)):
            for _i in range(count):
                n += 1
                person = Person(
                    city=self.city, neighbourhood=hood, display_name=f"{PERSON_PREFIX}{n}",
                    first_contact_channel=rng.choices(channels, [30, 20, 15, 20, 15])[0],
                    known_to_services=rng.choice([True, False, False, None]), first_contact_at=self.moment(),
                    created_by=rng.choice(self.workers_of[hood.pk]),
                )
                self.people.append(person)
                self.people_of[hood.pk].append(person)
        citizens = [self.account(Role.CITIZEN, n, "Cittadino") for n in range(1, round(total * ACCOUNT_SHARE) + 1)]
        self.write(User, citizens, _("account di cittadini"))
        for person, user in zip(rng.sample(self.people, len(citizens)), citizens):
            person.account = user
        self.write(Person, self.people, _("persone"))

        consents = []
        for person in self.people:
            for purpose, share in ((Consent.Purpose.REGISTRATION, 1), (Consent.Purpose.CONTACT, 0.6),
                                   (Consent.Purpose.GROUPS, 0.3), (Consent.Purpose.IDENTIFYING, 0.1)):
                if rng.random() < share:
                    withdrawn = self.later(person.first_contact_at, 30, 700) if rng.random() < 0.03 else None
                    consents.append(Consent(person=person, purpose=purpose, given_at=person.first_contact_at,
                                            recorded_by=person.created_by, withdrawn_at=withdrawn))
        self.write(Consent, consents, _("consensi"))

    def make_market(self):
        rng, per_thousand = self.rng, self.residents / 1000
        offers, hoods_of_offer = [], []
        org_hoods = {}
        for org_id, hood_id in Organisation.neighbourhoods.through.objects.filter(
                organisation__in=self.organisations).values_list("organisation_id", "neighbourhood_id").order_by("pk"):
            org_hoods.setdefault(org_id, []).append(hood_id)
        hood_by_id = {h.pk: h for h in self.hoods}

        def offer(giver_person=None, org=None):
            theme = self.theme()
            kind, title, description = rng.choice(THEMES[theme]["offer"])
            description = self.roughen(f"{description}, {rng.choice(WHEN)}.")
            created = self.moment()
            status = rng.choices(Offer.Status.values, [75, 8, 0, 17])[0]
            item = Offer(
                city=self.city, person=giver_person, organisation=org, kind=kind, title=title, description=description,
                search_tokens=stem_text(f"{title} {description}"), days=rng.choice([0, 0, rng.randrange(1, 128)]),
                slots=rng.choice([0, rng.randrange(1, 8)]), capacity=rng.choice([1, 1, 2, 3, 5, 10]), status=status,
                created_by=giver_person.created_by if giver_person else rng.choice(self.coordinators),
                created_at=created, updated_at=created,
            )
            item.theme = theme
            offers.append(item)
            if org:
                hoods_of_offer.append([hood_by_id[h] for h in org_hoods[org.pk]])
            else:
                extra = self.pick_hoods(1) if rng.random() < 0.3 else []
                hoods_of_offer.append(list(dict.fromkeys([giver_person.neighbourhood] + extra)))

        for _i in range(round(per_thousand * PERSON_OFFERS_PER_1000_YEAR * self.years)):
            offer(giver_person=rng.choice(self.people))
        for _i in range(round(len(self.organisations) * ORG_OFFERS_PER_ORG_YEAR * self.years)):
            offer(org=rng.choice(self.organisations))

        needs = []
        for _i in range(round(per_thousand * NEEDS_PER_1000_YEAR * self.years)):
            person = rng.choice(self.people)
            theme = self.theme()
            created = self.moment(after=person.first_contact_at)
            text = self.need_text(theme)
            need = Need(
                city=self.city, person=person, text=text, search_tokens=stem_text(text), neighbourhood=person.neighbourhood,
                urgency=rng.choices(Need.Urgency.values, [30, 50, 20])[0], kind=rng.choice([""] + Offer.Kind.values),
                days=rng.choice([0, rng.randrange(1, 128)]), slots=rng.choice([0, rng.randrange(1, 8)]),
                created_by=person.account or person.created_by, created_at=created, updated_at=created,
            )
            need.theme = theme
            needs.append(need)

        # Matches: a need is answered by offers of its theme, when they existed and had room.
        offers_by_theme = {}
        for item in offers:
            offers_by_theme.setdefault(item.theme, []).append(item)
        matches = []
        for need in needs:
            age = (self.end - need.created_at.date()).days
            same_theme = offers_by_theme.get(need.theme, [])
            candidates = [o for o in rng.sample(same_theme, min(6, len(same_theme))) if o.created_at <= need.created_at]
            tries = rng.choices([0, 1, 2], [30, 55, 15])[0]
            for item in candidates[:tries]:
                proposed = self.later(need.created_at, 0, 10)
                if proposed is None:
                    break
                if age > 45:
                    status = rng.choices(["done", "declined", "cancelled", "in_progress"], [60, 20, 12, 8])[0]
                else:
                    status = rng.choices(["proposed", "accepted", "in_progress", "done", "declined"], [40, 20, 20, 10, 10])[0]
                holds = status in Match.HOLDS_CAPACITY
                if holds and (item.taken >= item.capacity or item.status not in (Offer.Status.OPEN, Offer.Status.EXHAUSTED)):
                    status, holds = "declined", False
                if holds:
                    item.taken += 1
                    if item.taken == item.capacity:
                        item.status = Offer.Status.EXHAUSTED
                yes, no, pending = Match.Answer.YES, Match.Answer.NO, Match.Answer.PENDING
                answers = {"proposed": rng.choice([(pending, pending), (yes, pending), (pending, yes)]),
                           "declined": rng.choice([(no, pending), (yes, no), (no, yes)]),
                           "cancelled": (yes, yes)}.get(status, (yes, yes))
                closed = self.later(proposed, 3, 40) if status in ("done", "declined", "cancelled") else None
                if status in ("done", "declined", "cancelled") and closed is None:
                    closed = datetime.combine(self.end, time(12), tzinfo=self.zone)
                matches.append(Match(
                    need=need, offer=item, status=status, score=round(rng.uniform(0.2, 0.95), 3),
                    need_answer=answers[0], offer_answer=answers[1],
                    follow_up_on=(proposed + timedelta(days=14)).date() if status in Match.ACTIVE else None,
                    outcome=rng.choice(THEMES[need.theme]["note"]) if status == "done" else "",
                    proposed_by=rng.choice(self.workers_of[need.neighbourhood_id]), proposed_at=proposed,
                    updated_at=closed or proposed, closed_at=closed,
                ))
                need.status = Need.Status.MET if status == "done" else (
                    Need.Status.BROKERING if status in Match.ACTIVE and need.status != Need.Status.MET else need.status)
            if need.status == Need.Status.OPEN and age > 120:
                need.status = rng.choices([Need.Status.OPEN, Need.Status.WITHDRAWN, Need.Status.MET], [40, 40, 20])[0]

        self.write(Offer, offers, _("offerte"))
        self.link(Offer.neighbourhoods, [(o, h) for o, hoods in zip(offers, hoods_of_offer) for h in hoods])
        self.write(Need, needs, _("richieste"))
        self.theme_of.update(((TextItem.Source.NEED, n.pk), n.theme) for n in needs)
        self.write(Match, matches, _("abbinamenti"))

        contributions = []
        for match in matches:
            if match.status != Match.Status.DONE:
                continue
            item = match.offer
            contributions.append(self.contribution(
                item.kind, person=item.person, organisation=item.organisation, neighbourhood=match.need.neighbourhood,
                on=match.closed_at.date(), match=match, by=match.proposed_by))
        for _i in range(round(len(self.organisations) * ORG_CONTRIBUTIONS_PER_ORG_YEAR * self.years)):
            org = rng.choice(self.organisations)
            contributions.append(self.contribution(
                rng.choice(["space", "goods", "money", "time"]), organisation=org,
                neighbourhood=hood_by_id[rng.choice(org_hoods[org.pk])], on=self.moment().date(),
                by=rng.choice(self.coordinators), note="Contributo a un'iniziativa di quartiere"))
        self.write(Contribution, contributions, _("contributi"))

    def contribution(self, offer_kind, *, neighbourhood, on, by, person=None, organisation=None, match=None, note=""):
        rng = self.rng
        kind, (low, high) = CONTRIBUTION_OF_OFFER[offer_kind]
        quantity = Decimal(rng.randint(low, high))
        area = Decimal(rng.choice([20, 30, 50, 80, 120])) if kind == Contribution.Kind.SPACE_HOURS else None
        declared = Decimal(rng.randint(5, 300)) if kind == Contribution.Kind.GOODS and rng.random() < 0.5 else None
        return Contribution(
            city=self.city, kind=kind, quantity=quantity, area_sqm=area, declared_value=declared,
            value_eur=value_of(self.city, kind, quantity, area, declared), person=person, organisation=organisation,
            sector=sector_of(person, organisation), neighbourhood=neighbourhood, on=on, match=match, note=note,
            recorded_by=by, created_at=datetime.combine(on, time(18), tzinfo=self.zone),
        )

    def make_attention(self):
        rng, per_thousand = self.rng, self.residents / 1000
        # Antennas are already spread by population: each sends as many signals as any other.
        antennas = [(hood, user) for hood in self.hoods for user in self.antennas_of[hood.pk]]
        signals, tasks, encounters = [], [], []
        for _i in range(round(per_thousand * SIGNALS_PER_1000_YEAR * self.years)):
            hood, antenna = rng.choice(antennas)
            theme = self.theme()
            created = self.moment(after=antenna.date_joined)
            age = (self.end - created.date()).days
            worker = rng.choice(self.workers_of[hood.pk])
            signal = Signal(
                city=self.city, neighbourhood=hood, sent_by=antenna, text=self.signal_text(theme),
                place=rng.choice(self.places[hood.pk]) if hood.pk in self.places and rng.random() < 0.3 else None,
                urgency=rng.choices(Signal.Urgency.values, [35, 45, 20])[0],
                age_band=rng.choice([""] + Signal.AgeBand.values), household=rng.choice([""] + Signal.Household.values),
                person_aware=rng.choice(Signal.Aware.values), created_at=created, status_changed_at=created,
            )
            signal.theme = theme
            signals.append(signal)
            # How far it went depends on its age: recent ones are still in the queue.
            if age < 3 or (age < 20 and rng.random() < 0.4):
                continue
            triaged = self.later(created, 0.1, 4) or created
            if rng.random() < 0.2:
                signal.close_at_triage(worker, rng.choice([Signal.Outcome.NO_ACTION, Signal.Outcome.REFERRED]),
                                       "Già seguita dai servizi sociali.", now=triaged)
                continue
            known = rng.random() < 0.2 and self.people_of[hood.pk]
            signal.take_up(worker, Signal.Outcome.PERSON if known else Signal.Outcome.OUTREACH, now=triaged)
            if known:
                signal.person = rng.choice(self.people_of[hood.pk])
            else:
                task = self.outreach(signal, worker, triaged)
                tasks.append(task)
                if task.status != OutreachTask.Status.DONE:
                    if task.done_at and (self.end - task.done_at.date()).days > 60:
                        signal.close(now=task.done_at + timedelta(days=30))
                    continue
            contacted = self.later(triaged, 1, 12)
            if contacted is None:
                continue
            signal.mark_contacted(now=contacted)
            encounter = Encounter(
                neighbourhood=hood, worker=worker, person=signal.person, signal=signal,
                outreach=tasks[-1] if not known else None, setting=rng.choice(Encounter.Setting.values),
                happened_at=contacted, notes=self.roughen(rng.choice(THEMES[theme]["note"])), created_at=contacted,
            )
            encounter.theme = theme
            encounters.append(encounter)
            closed = self.later(contacted, 5, 90)
            if closed is not None and rng.random() < 0.85:
                signal.close(now=closed)

        self.write(Signal, signals, _("segnalazioni"))
        # Some signals about known people were the same situation as an earlier one of their neighbourhood.
        merged, last_of_hood = [], {}
        for signal in signals:
            earlier = last_of_hood.get(signal.neighbourhood_id)
            if earlier is not None and signal.outcome == Signal.Outcome.PERSON and rng.random() < 0.3:
                signal.merged_into, signal.outcome, signal.person = earlier, Signal.Outcome.MERGED, earlier.person
                signal.follow(earlier, signal.status_changed_at)
                merged.append(signal)
            last_of_hood[signal.neighbourhood_id] = signal
        Signal.objects.bulk_update(merged, [
            "merged_into", "outcome", "person", "status", "status_changed_at", "taken_up_at", "first_contact_at", "closed_at",
        ], batch_size=BATCH)
        self.write(OutreachTask, tasks, _("uscite"))

        for _i in range(round(per_thousand * ENCOUNTERS_PER_1000_YEAR * self.years)):
            hood = rng.choices(self.hoods, self.weights)[0]
            person = rng.choice(self.people_of[hood.pk]) if self.people_of[hood.pk] and rng.random() < 0.7 else None
            happened = self.moment(after=person.first_contact_at if person else None)
            encounter = Encounter(
                neighbourhood=hood, worker=rng.choice(self.workers_of[hood.pk]), person=person,
                setting=rng.choice(Encounter.Setting.values), happened_at=happened, created_at=happened,
            )
            encounter.theme = self.theme()
            encounter.notes = self.roughen(rng.choice(THEMES[encounter.theme]["note"]))
            encounters.append(encounter)
        self.write(Encounter, encounters, _("incontri"))
        self.theme_of.update(((TextItem.Source.SIGNAL, s.pk), s.theme) for s in signals)
        self.theme_of.update(((TextItem.Source.ENCOUNTER, e.pk), e.theme) for e in encounters)

    def make_collective(self):
        """Groups of people with similar needs in one neighbourhood, their meetings, and neighbourhood tables."""
        rng, per_thousand = self.rng, self.residents / 1000
        groups, members, meetings = [], [], []
        for n in range(1, round(per_thousand * GROUPS_PER_1000_YEAR * self.years) + 1):
            hood = rng.choices(self.hoods, self.weights)[0]
            theme = self.theme()
            slug, activity, _description, _themes = rng.choice(ACTIVITIES)
            created = self.moment()
            age = (self.end - created.date()).days
            status = (Group.Status.FORMING if age < 60 else
                      rng.choices([Group.Status.ACTIVE, Group.Status.INITIATIVE, Group.Status.CLOSED], [50, 30, 20])[0])
            changed = self.later(created, 20, 120) if status != Group.Status.FORMING else None
            worker = rng.choice(self.workers_of[hood.pk])
            group = Group(
                city=self.city, neighbourhood=hood, name=f"{GROUP_PREFIX}{n}: {activity.lower()}",
                purpose=self.roughen(rng.choice(THEMES[theme]["need"])), facilitator=worker, status=status,
                status_changed_at=changed or created, created_by=worker, created_at=created,
                closing_note="Il gruppo ha deciso di fermarsi." if status == Group.Status.CLOSED else "",
            )
            group.synthetic_activity, group.synthetic_theme = slug, theme
            groups.append(group)
            people = self.people_of[hood.pk]
            group.synthetic_people = rng.sample(people, min(len(people), rng.randint(5, 12)))
            members += [Membership(group=group, person=p, consent_recorded_by=worker, joined_at=created) for p in group.synthetic_people]
            last = (changed if status in (Group.Status.INITIATIVE, Group.Status.CLOSED) and changed else None)
            last = last.date() if last else self.end
            for _i in range(max(1, round(GROUP_MEETINGS_PER_YEAR * max(0, (last - created.date()).days) / 365))):
                starts = self.moment(after=created, before=last)
                meeting = Meeting(
                    city=self.city, neighbourhood=hood, group=group, kind=Meeting.Kind.GROUP,
                    title=f"Incontro del gruppo {n}", starts_at=starts, ends_at=starts + timedelta(hours=2),
                    agenda="Come va, cosa facciamo la prossima volta.", minutes=self.roughen(rng.choice(THEMES[theme]["note"])),
                    attendance_count=None, created_by=worker, created_at=starts,
                )
                meeting.present = rng.sample(group.synthetic_people, max(1, round(len(group.synthetic_people) * rng.uniform(0.4, 0.9))))
                meetings.append(meeting)
        for hood in self.hoods:
            for _i in range(round(TABLES_PER_NEIGHBOURHOOD_YEAR * self.years)):
                starts = self.moment()
                worker = rng.choice(self.workers_of[hood.pk])
                meeting = Meeting(
                    city=self.city, neighbourhood=hood, kind=Meeting.Kind.TABLE, title=f"Tavolo di quartiere {hood.name}",
                    starts_at=starts, ends_at=starts + timedelta(hours=2), is_public=True,
                    place=rng.choice(self.places[hood.pk]) if hood.pk in self.places else None,
                    agenda="Le novità del quartiere e le proposte delle realtà.",
                    minutes="Presenti associazioni, parrocchia, scuola e residenti.",
                    attendance_count=rng.randint(8, 40), created_by=worker, created_at=starts,
                )
                meeting.present = []
                meetings.append(meeting)
        self.write(Group, groups, _("gruppi"))
        self.write(Membership, members)
        self.write(Meeting, meetings, _("incontri di gruppi e tavoli"))
        self.link(Meeting.attendees, [(m, p) for m in meetings for p in m.present])
        self.groups = groups

    def make_initiatives(self):
        """The activity catalogue, initiatives (from groups and from partners) with their stages, partners,
        commitments, milestones, participants, autonomy assessments and agreements."""
        rng, per_thousand = self.rng, self.residents / 1000
        objects = [InterventionObject(
            city=self.city, slug=f"{OBJECT_SLUG_PREFIX}{slug}", name=f"{name} (sintetico)", description=description,
            purpose="Un'attività aperta a tutti, dove ci si conosce facendo qualcosa insieme.",
            created_at=datetime.combine(self.start, time(9), tzinfo=self.zone),
        ) for slug, name, description, _themes in ACTIVITIES]
        self.write(InterventionObject, objects, _("oggetti di intervento"))
        self.objects = objects
        object_of = {o.slug.removeprefix(OBJECT_SLUG_PREFIX): o for o in objects}
        org_by_hood = {}
        for org_id, hood_id in Organisation.neighbourhoods.through.objects.filter(
                organisation__in=self.organisations).values_list("organisation_id", "neighbourhood_id").order_by("pk"):
            org_by_hood.setdefault(hood_id, []).append(org_id)
        organisation = {o.pk: o for o in self.organisations}

        plans = [(g.neighbourhood, g.synthetic_activity, g, g.status_changed_at) for g in self.groups if g.status == Group.Status.INITIATIVE]
        for _i in range(round(per_thousand * INITIATIVES_PER_1000_YEAR * self.years)):
            plans.append((rng.choices(self.hoods, self.weights)[0], rng.choice(ACTIVITIES)[0], None, self.moment()))
        initiatives, hoods, transitions, partners, commitments, milestones = [], [], [], [], [], []
        participations, assessments, agreements, parties = [], [], [], []
        path = [Initiative.Stage.IDEA, Initiative.Stage.INCUBATION, Initiative.Stage.ACCOMPANIED, Initiative.Stage.AUTONOMOUS]
        for n, (hood, slug, group, created) in enumerate(plans, start=1):
            worker = rng.choice(self.workers_of[hood.pk])
            local_orgs = [organisation[pk] for pk in org_by_hood.get(hood.pk, [])] or self.organisations
            promoter = rng.choice(local_orgs)
            initiative = Initiative(
                city=self.city, name=f"{INITIATIVE_PREFIX}{n}: {object_of[slug].name.removesuffix(' (sintetico)').lower()}",
                description=object_of[slug].description, intervention_object=object_of[slug],
                origin=Initiative.Origin.GROUP if group else Initiative.Origin.PARTNER, origin_group=group,
                origin_organisation=None if group else promoter, when=rng.choice(WHEN),
                how_to_join="Basta presentarsi, oppure scrivere alla realtà che la promuove.",
                contact_email=promoter.email, lead_worker=worker, created_by=worker, created_at=created, updated_at=created,
                place=rng.choice(self.places[hood.pk]) if hood.pk in self.places and rng.random() < 0.6 else None,
            )
            # Walk the lifecycle as far as its age allows; some end along the way.
            moment, stage = created, Initiative.Stage.IDEA
            for target in path[1:]:
                step = self.later(moment, 30, 200)
                if step is None or rng.random() < 0.25:
                    break
                transitions.append(StageTransition(initiative=initiative, from_stage=stage, to_stage=target,
                                                   reason="Verifica con i partner e il gruppo.", by=worker, at=step))
                moment, stage = step, target
            if stage != Initiative.Stage.AUTONOMOUS and rng.random() < 0.1:
                ended = self.later(moment, 30, 200)
                if ended is not None:
                    transitions.append(StageTransition(initiative=initiative, from_stage=stage, to_stage=Initiative.Stage.ENDED,
                                                       reason="Non ci sono più le condizioni per continuare.", by=worker, at=ended))
                    moment, stage = ended, Initiative.Stage.ENDED
            initiative.stage, initiative.stage_changed_at, initiative.updated_at = stage, moment, moment
            initiative.is_public = stage in (Initiative.Stage.ACCOMPANIED, Initiative.Stage.AUTONOMOUS)
            initiatives.append(initiative)
            hoods.append((initiative, hood))

            chosen = [promoter] + [o for o in rng.sample(local_orgs, min(len(local_orgs), rng.randint(0, 2))) if o != promoter]
            for i, org in enumerate(chosen):
                role = Partner.Role.PROMOTER if i == 0 else rng.choices([r for r, _w in PARTNER_ROLES[1:]],
                                                                       [w for _r, w in PARTNER_ROLES[1:]])[0]
                partner = Partner(initiative=initiative, organisation=org, role=role, since=created.date())
                partners.append(partner)
                if rng.random() < 0.7:
                    kind = rng.choice(["hours", "space_hours", "goods", "money"])
                    commitments.append(Commitment(
                        initiative=initiative, partner=partner, description=f"Contributo di {org.name}", kind=kind,
                        quantity=Decimal(rng.choice([10, 20, 40, 100, 300])), created_at=created,
                        due_date=(created + timedelta(days=rng.randint(60, 365))).date()))
            for title in rng.sample(MILESTONES, rng.randint(2, 3)):
                due = (created + timedelta(days=rng.randint(30, 400))).date()
                reached = self.later(created, 20, 300)
                milestones.append(Milestone(initiative=initiative, title=title, due_date=due,
                                            reached_on=reached.date() if reached and rng.random() < 0.6 else None))
            pool = list(group.synthetic_people) if group else []
            others = self.people_of[hood.pk]
            pool += [p for p in rng.sample(others, min(len(others), rng.randint(3, 15))) if p not in pool]
            for person in pool:
                joined = max(created, person.first_contact_at)
                participations.append(Participation(initiative=initiative, person=person, joined_at=joined,
                                                    first_contact=abs((person.first_contact_at - joined).days) < 2))
            if stage in (Initiative.Stage.ACCOMPANIED, Initiative.Stage.AUTONOMOUS, Initiative.Stage.ENDED):
                level = 2 if stage == Initiative.Stage.AUTONOMOUS else 1
                on = moment.date()
                assessments.append(AutonomyAssessment(
                    initiative=initiative, assessed_on=on, own_leadership=min(3, level + rng.randint(0, 1)),
                    own_resources=min(3, level + rng.randint(-1, 1)), own_decisions=min(3, level + rng.randint(0, 1)),
                    ties=min(3, level + rng.randint(0, 1)), assessed_by=worker,
                    created_at=datetime.combine(on, time(17), tzinfo=self.zone)))
            if stage != Initiative.Stage.IDEA and rng.random() < 0.5:
                starts = (created + timedelta(days=rng.randint(20, 90))).date()
                starts = min(starts, self.end)
                agreement = Agreement(
                    city=self.city, kind=rng.choice([Agreement.Kind.PACT, Agreement.Kind.PACT, Agreement.Kind.CO_DESIGN]),
                    title=f"Patto per {initiative.name.lower()}", subject=initiative.description, initiative=initiative,
                    starts_on=starts, ends_on=starts + timedelta(days=730),
                    status=Agreement.Status.ACTIVE if stage != Initiative.Stage.ENDED else Agreement.Status.TERMINATED,
                    created_by=worker, created_at=datetime.combine(starts, time(10), tzinfo=self.zone))
                agreements.append(agreement)
                parties.append(AgreementParty(agreement=agreement, name="Comune", commitments="Spazi, assicurazione, comunicazione."))
                parties += [AgreementParty(agreement=agreement, organisation=org, commitments="Volontari e materiali.")
                            for org in chosen]

        self.write(Initiative, initiatives, _("iniziative"))
        self.initiatives = initiatives
        self.link(Initiative.neighbourhoods, hoods)
        for rows, model in ((transitions, StageTransition), (partners, Partner), (commitments, Commitment),
                            (milestones, Milestone), (participations, Participation), (assessments, AutonomyAssessment),
                            (agreements, Agreement), (parties, AgreementParty)):
            self.write(model, rows)  # in this order: each row's parents have their ids by then
        self.counts[_("partner, impegni, traguardi e partecipanti delle iniziative")] = (
            len(partners) + len(commitments) + len(milestones) + len(participations))

    def make_themes(self):
        """The themes of NAMED_THEMES that have texts, as if one discovery run had found them a month before
        the reference date, a coordinator had named them and linked them to the traditional categories, and
        newer texts had been tagged on arrival; a few tags set by workers, a few texts left without a theme.
        Groups, activities and initiatives get the themes they answer."""
        rng, by = self.rng, self.coordinators[0]
        items = list(TextItem.objects.filter(city=self.city).order_by("pk")
                     .values_list("pk", "source", "source_id", "written_at", "neighbourhood_id"))
        keys = {pk: self.theme_of.get((source, source_id)) for pk, source, source_id, _w, _n in items}
        found = [key for key in THEME_NAMES if key in set(keys.values())]
        if not found:
            return
        ran = datetime.combine(self.end - timedelta(days=DISCOVERY_DAYS_BEFORE_END), time(9), tzinfo=self.zone)
        finished = ran + timedelta(minutes=rng.randint(3, 20))
        last_moment = datetime.combine(self.end, time(19), tzinfo=self.zone)
        named_at = {key: finished + timedelta(days=rng.uniform(1, 20)) for key in found}
        run = DiscoveryRun(
            city=self.city, since=self.start, until=ran.date(), seed=1, status=DiscoveryRun.Status.DONE, progress=100,
            item_count=sum(1 for _pk, _s, _id, written, _n in items if written.date() <= ran.date()),
            theme_count=len(found), requested_by=by, created_at=ran, finished_at=finished,
        )
        self.write(DiscoveryRun, [run])

        tags = []
        for pk, _source, _source_id, written, hood in items:
            key = keys[pk]
            draw = rng.random()
            if key is None or draw < UNTAGGED_SHARE:
                continue
            if draw < UNTAGGED_SHARE + PERSON_TAG_SHARE:
                at = min(max(written, named_at[key]) + timedelta(days=rng.uniform(0, 10)), last_moment)
                tag = Tag(item_id=pk, origin=Tag.Origin.PERSON, set_by=rng.choice(self.workers_of.get(hood) or self.coordinators),
                          created_at=at)
            elif written < ran:
                tag = Tag(item_id=pk, origin=Tag.Origin.ENGINE, confidence=round(rng.uniform(*TAG_CONFIDENCE), 3), created_at=finished)
            else:
                tag = Tag(item_id=pk, origin=Tag.Origin.SUGGESTED, confidence=round(rng.uniform(*TAG_CONFIDENCE), 3), created_at=written)
            tag.key, tag.written = key, written
            tags.append(tag)

        themes = {}
        for key in found:
            name, phrases, _codes, outside = NAMED_THEMES[key]
            dates = [t.written for t in tags if t.key == key] or [ran]
            themes[key] = Theme(
                city=self.city, status=Theme.Status.NAMED, name=name, suggested_name=", ".join(phrases[:2]), key_phrases=phrases,
                outside_categories=outside, run=run, first_seen=min(dates), last_seen=max(dates), named_by=by,
                named_at=named_at[key], created_at=finished,
            )
        self.write(Theme, list(themes.values()), _("temi"))
        for tag in tags:
            tag.theme = themes[tag.key]
        self.write(Tag, tags, _("etichette"))

        categories = self.traditional_categories()
        links, events = [], []
        for key, theme in themes.items():
            _name, phrases, codes, outside = NAMED_THEMES[key]
            codes = [code for code in codes if code in categories]
            links += [(theme, categories[code]) for code in codes]
            size = sum(1 for t in tags if t.key == key and t.origin == Tag.Origin.ENGINE)
            # What name_theme and set_categories record, after the run's proposal.
            events.append(ThemeEvent(theme=theme, action=ThemeEvent.Action.PROPOSED, by=by, at=finished,
                                     detail={"run": run.pk, "size": size, "key_phrases": phrases}))
            events.append(ThemeEvent(theme=theme, action=ThemeEvent.Action.NAMED, by=by, at=theme.named_at,
                                     detail={"name": theme.name, "suggested_name": theme.suggested_name}))
            if codes or outside:
                events.append(ThemeEvent(theme=theme, action=ThemeEvent.Action.LINKED, by=by, at=theme.named_at + timedelta(hours=2),
                                         detail={"categories": codes, "outside": outside}))
        self.link(Theme.categories, links)
        self.write(ThemeEvent, events, _("eventi del tema"))

        answers = {slug: [themes[k] for k in answered if k in themes] for slug, _n, _d, answered in ACTIVITIES}
        self.link(Group.themes, [(g, themes[g.synthetic_theme]) for g in self.groups if g.synthetic_theme in themes])
        self.link(InterventionObject.themes, [(o, t) for o in self.objects for t in answers[o.slug.removeprefix(OBJECT_SLUG_PREFIX)]])
        self.link(Initiative.themes, [
            (i, t) for i in self.initiatives
            for t in ([themes[i.origin_group.synthetic_theme]] if i.origin_group and i.origin_group.synthetic_theme in themes
                      else answers[i.intervention_object.slug.removeprefix(OBJECT_SLUG_PREFIX)])
        ])

    def traditional_categories(self):
        """The traditional categories by code; loaded as the themes app's migration loads them if the table is empty."""
        if not TraditionalCategory.objects.exists():
            importlib.import_module("trama.themes.migrations.0002_traditional_categories").load(apps, None)
        return {c.code: c for c in TraditionalCategory.objects.all()}

    def outreach(self, signal, worker, triaged):
        rng = self.rng
        due = (triaged + timedelta(days=rng.randint(2, 14))).date()
        task = OutreachTask(
            neighbourhood=signal.neighbourhood, signal=signal, assigned_to=worker, method=rng.choice(OutreachTask.Method.values),
            due_date=due, plan=rng.choice(OUTREACH_PLANS), created_by=worker, created_at=triaged,
        )
        if due < self.end:
            status = rng.choices([OutreachTask.Status.DONE, OutreachTask.Status.NOT_REACHED, OutreachTask.Status.CANCELLED,
                                  OutreachTask.Status.PLANNED], [70, 15, 5, 10])[0]
            if status != OutreachTask.Status.PLANNED:
                task.finish(status, rng.choice(OUTREACH_RESULTS[status]),
                            now=datetime.combine(due, time(rng.randrange(9, 19)), tzinfo=self.zone))
        return task


@transaction.atomic
def generate_city(city, residents, years, seed, reference_date=None, log=None):
    """Replace any earlier synthetic records of the database with a new synthetic city; returns counts per kind."""
    delete_synthetic()
    return CityGenerator(city, residents, years, seed, reference_date=reference_date, log=log).run()
