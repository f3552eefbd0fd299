"""What people of the synthetic city write, one phrase bank per situation (trama/synthetic.py).

Every app's part of the synthetic city draws its texts from these banks, which the generator hands
it (`gen.phrases`): an antenna's signal, a need, an offer, a worker's note are written from one bank
each, and the themes that discovery "found" (NAMED_THEMES in trama/themes/synthetic.py) are these
situations, named as a team would name them.
"""

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
