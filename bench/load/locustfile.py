"""A day of use of Trama, for Locust: run by bench/load/run.py (`make load`), not by hand.

Four kinds of people, weighted as in a day of the pilot: citizens browsing the public
catalogue (most of the traffic, not signed in), antennas sending signals and checking
theirs, community workers triaging the queue and brokering needs, and a few coordinators
opening the dashboard, the ledger and the audit log. Signed-in users log in through the
real form (django-axes and CSRF in the way, as for a person); accounts come from the
file named by TRAMA_LOAD_ACCOUNTS, with the password in TRAMA_LOAD_PASSWORD.

Every page a user opens is one it reached by following links: ids are read from the
pages themselves, so the scenario works on any city.
"""

import itertools
import json
import os
import random
import re

from locust import HttpUser, between, task

ACCOUNTS = json.loads(open(os.environ["TRAMA_LOAD_ACCOUNTS"]).read()) if os.environ.get("TRAMA_LOAD_ACCOUNTS") else {}
PASSWORD = os.environ.get("TRAMA_LOAD_PASSWORD", "")
NEXT = {role: itertools.count() for role in ("antenna", "worker", "coordinator")}

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
OFFER = re.compile(r'href="/mercato/offerte/(\d+)/"')
NEED = re.compile(r'href="/mercato/richieste/(\d+)/"')
SIGNAL = re.compile(r'href="/attenzione/segnalazioni/(\d+)/"')
OWN_SIGNAL = re.compile(r'href="/attenzione/mie-segnalazioni/(\d+)/"')
PROPOSE = re.compile(
    r'action="/mercato/richieste/(\d+)/proponi/">\s*<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)">'
    r'\s*<input type="hidden" name="offer" value="(\d+)">'
)
NEIGHBOURHOOD = re.compile(r'name="neighbourhood"[^>]*>\s*<option value="(\d+)"')
WORDS = ["spesa", "compiti", "bollette", "compagnia", "computer", "trasporto", "pasti", "italiano", "badante", "lavoro"]
NOTICED = [
    "Il signore del terzo piano non esce da giorni e non ritira la posta.",
    "Una mamma con due bambini chiede spesso se ci sono sconti, sembra in difficoltà.",
    "Una signora anziana è venuta tre volte oggi a chiedere la stessa cosa, era confusa.",
    "Un ragazzo dorme in macchina nel parcheggio da una settimana.",
    "Un cliente mi ha detto che gli hanno staccato il gas e non sa a chi rivolgersi.",
]


def pick(pattern, response):
    found = pattern.findall(response.text) if response.ok else []
    return random.choice(found) if found else None


class SignedIn(HttpUser):
    """A person with an account: logs in once through the form, like a browser."""

    abstract = True
    role = None

    def on_start(self):
        accounts = ACCOUNTS.get(self.role) or []
        if not accounts:
            raise RuntimeError(f"no load accounts for {self.role}: run bench/load/run.py")
        self.username = accounts[next(NEXT[self.role]) % len(accounts)]
        page = self.client.get("/account/accedi/", name="login form")
        token = CSRF.search(page.text).group(1)
        with self.client.post(
            "/account/accedi/", {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token}, name="login", catch_response=True
        ) as response:
            if "/account/accedi/" in response.url:
                response.failure(f"login refused for {self.username}")

    def post_form(self, url, page, data, name):
        token = CSRF.search(page.text)
        if token is None:
            return None
        return self.client.post(url, {**data, "csrfmiddlewaretoken": token.group(1)}, name=name)


class Citizen(HttpUser):
    """Someone not signed in, looking for a hand or offering one in the public catalogue."""

    weight = 10
    wait_time = between(2, 8)

    @task(3)
    def home(self):
        self.client.get("/", name="public: home")

    @task(6)
    def offers(self):
        page = self.client.get("/mercato/offerte/", name="public: offers")
        offer = pick(OFFER, page)
        if offer:
            self.client.get(f"/mercato/offerte/{offer}/", name="public: offer")

    @task(3)
    def search(self):
        self.client.get(f"/mercato/offerte/?q={random.choice(WORDS)}", name="public: offers search")

    @task(2)
    def doors(self):
        self.client.get(random.choice(["/mercato/cerco-una-mano/", "/mercato/offro-una-mano/"]), name="public: door")

    @task(1)
    def map(self):
        self.client.get("/territorio/mappa/", name="public: map")

    @task(1)
    def catalogue(self):
        self.client.get("/iniziative/catalogo/", name="public: initiatives catalogue")

    @task(1)
    def open_data(self):
        self.client.get("/indicatori/dati-aperti/", name="public: open data")


class Antenna(SignedIn):
    """A pharmacist or shopkeeper: sends a signal now and then, looks whether it was taken up."""

    role = "antenna"
    weight = 4
    wait_time = between(5, 15)

    @task(2)
    def send_signal(self):
        form = self.client.get("/attenzione/segnala/", name="antenna: signal form")
        neighbourhood = NEIGHBOURHOOD.search(form.text) if form.ok else None
        if neighbourhood:
            self.post_form(
                "/attenzione/segnala/",
                form,
                {
                    "text": random.choice(NOTICED),
                    "neighbourhood": neighbourhood.group(1),
                    "urgency": random.choice([1, 2, 3]),
                    "age_band": "",
                    "household": "",
                    "person_aware": "",
                },
                name="antenna: send signal",
            )

    @task(3)
    def my_signals(self):
        page = self.client.get("/attenzione/mie-segnalazioni/", name="antenna: my signals")
        signal = pick(OWN_SIGNAL, page)
        if signal:
            self.client.get(f"/attenzione/mie-segnalazioni/{signal}/", name="antenna: my signal")

    @task(1)
    def home(self):
        self.client.get("/", name="antenna: home")


class Worker(SignedIn):
    """A community worker: the queue of her neighbourhoods, triage, the needs to broker, encounters."""

    role = "worker"
    weight = 5
    wait_time = between(3, 10)

    @task(4)
    def queue(self):
        page = self.client.get("/attenzione/segnalazioni/", name="worker: signal queue")
        signal = pick(SIGNAL, page)
        if signal:
            self.client.get(f"/attenzione/segnalazioni/{signal}/", name="worker: signal")

    @task(1)
    def triage(self):
        page = self.client.get("/attenzione/segnalazioni/?stato=new", name="worker: new signals")
        signal = pick(SIGNAL, page)
        if signal:
            detail = self.client.get(f"/attenzione/segnalazioni/{signal}/", name="worker: signal")
            self.post_form(
                f"/attenzione/segnalazioni/{signal}/esito/",
                detail,
                {"outcome": "referred", "note": "Inviata allo sportello sociale del quartiere."},
                name="worker: triage",
            )

    @task(3)
    def broker(self):
        page = self.client.get("/mercato/richieste/", name="worker: needs")
        need = pick(NEED, page)
        if not need:
            return
        detail = self.client.get(f"/mercato/richieste/{need}/", name="worker: need with ranked offers")
        proposal = pick(PROPOSE, detail)
        if proposal and random.random() < 0.3:
            need_id, token, offer = proposal
            self.client.post(f"/mercato/richieste/{need_id}/proponi/", {"offer": offer, "csrfmiddlewaretoken": token}, name="worker: propose match")

    @task(2)
    def lists(self):
        self.client.get(
            random.choice(["/attenzione/incontri/", "/attenzione/uscite/", "/mercato/abbinamenti/", "/account/persone/"]), name="worker: lists"
        )

    @task(1)
    def search(self):
        self.client.get(f"/mercato/offerte/?q={random.choice(WORDS)}", name="worker: offers search")


class Coordinator(SignedIn):
    """A programme manager: the dashboard, the ledger, the city's queue, the audit log."""

    role = "coordinator"
    weight = 1
    wait_time = between(5, 15)

    @task(4)
    def dashboard(self):
        self.client.get("/indicatori/", name="coordinator: dashboard")

    @task(2)
    def ledger(self):
        self.client.get("/mercato/contributi/", name="coordinator: ledger")

    @task(1)
    def queue(self):
        self.client.get("/attenzione/segnalazioni/?stato=all", name="coordinator: signal queue")

    @task(1)
    def audit(self):
        self.client.get("/privacy/registro/", name="coordinator: audit log")

    @task(1)
    def coverage(self):
        self.client.get("/attenzione/copertura/", name="coordinator: antennas coverage")
