"""The "in parole semplici" doors: every public door has one, linked from the door, and reads easily (Gulpease ≥ 80
on the page's main content, measured on the rendered HTML)."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from trama.people.models import Role
from trama.text import gulpease
from trama.views import EASY_DOORS

pytestmark = pytest.mark.django_db

BLOCKS = {"p", "li", "h1", "h2", "h3", "a", "dt", "dd", "div", "label", "button", "td", "th"}
HIDDEN = ("script", "style", "svg", "select")


class MainText(HTMLParser):
    """The text of <main>, one block a line, scripts, icons and the options of a list left out. A line is not a
    sentence by itself: only its full stop, question or exclamation mark ends one, so a heading or a button without
    one runs into the next sentence (the stricter reading, which the easy pages must pass all the same)."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.skip = 0
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.depth += 1
        if tag in HIDDEN:
            self.skip += 1
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag == "main":
            self.depth -= 1
        if tag in HIDDEN:
            self.skip -= 1
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if self.depth and not self.skip:
            self.parts.append(data)


def main_text(html):
    parser = MainText()
    parser.feed(html)
    return "".join(parser.parts)


def test_gulpease_counts_letters_words_and_sentences():
    # 6 words, 23 letters, 2 sentences: 89 + (600 - 230) / 6
    assert gulpease("Il cane corre. Il gatto dorme.") == pytest.approx(89 + 370 / 6)
    # An elision is one word; a last sentence without its full stop counts; a line break ends none.
    assert gulpease("L'amico arriva. Sta bene") == pytest.approx(89 + (600 - 10 * 19) / 4)
    assert gulpease("L'amico arriva\nSta bene") == pytest.approx(89 + (300 - 10 * 19) / 4)
    assert gulpease("") == 0


def test_a_long_bureaucratic_sentence_scores_low():
    text = (
        "Ai fini dell'erogazione delle prestazioni socioassistenziali, l'amministrazione comunale provvede alla "
        "valutazione multidimensionale della documentazione presentata dall'interessato, conformemente alle "
        "disposizioni regolamentari vigenti in materia di compartecipazione alla spesa."
    )
    assert gulpease(text) < 40


@pytest.mark.parametrize("door", sorted(EASY_DOORS))
def test_each_easy_door_reads_easily(client, door):
    response = client.get(reverse("easy", args=[door]))
    assert response.status_code == 200
    text = main_text(response.content.decode())
    assert len(text.split()) > 15, text
    assert gulpease(text) >= 80, (door, round(gulpease(text), 1), text)


@pytest.mark.parametrize("door", sorted(EASY_DOORS))
def test_each_pictogram_has_a_text_alternative(client, door):
    html = client.get(reverse("easy", args=[door])).content.decode()
    easy = html[html.index('data-testid="easy-reading"') :]
    icons = re.findall(r"<svg[^>]*>", easy)
    assert len(icons) >= 3
    assert all(re.search(r'role="img" aria-label="\w[^"]*"', icon) for icon in icons), icons


@pytest.mark.parametrize("door, name", sorted(EASY_DOORS.items()))
def test_each_door_links_its_easy_version(client, users, door, name):
    if name == "attention:signal_create":
        client.force_login(users[Role.ANTENNA])
    html = client.get(reverse(name)).content.decode()
    assert f'href="{reverse("easy", args=[door])}"' in html


def test_an_unknown_door_is_not_found(client):
    assert client.get(reverse("easy", args=["non-esiste"])).status_code == 404
