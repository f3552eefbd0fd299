"""trama.wording: gettext and reverse of one id, remembered, give what Django gives, in every language,
under any script prefix and after the settings change (issue 17, speed: a list explains ten answers)."""

import pytest
from django.urls import clear_script_prefix, reverse, set_script_prefix
from django.utils import translation
from django.utils.translation import gettext as django_gettext

from trama import wording

PHRASES = ["parole in comune: %(words)s", "significato simile", "Offerta", "una frase che nessun catalogo traduce"]


def test_a_phrase_is_translated_as_django_translates_it_in_every_language_twice():
    for language in ("it", "en", "fr", "ar", "it"):
        with translation.override(language):
            for _round in range(2):  # the second remembered
                for phrase in PHRASES:
                    assert wording.gettext(phrase) == django_gettext(phrase), (language, phrase)
    with translation.override("en"):
        assert wording.gettext("parole in comune: %(words)s") == "words in common: %(words)s"
    with translation.override("it"):
        assert wording.gettext("parole in comune: %(words)s") == "parole in comune: %(words)s"


def _catalogue(directory, language, pairs):
    """A compiled catalogue (.mo) of `pairs` {phrase: translation} for `language` under `directory`."""
    import struct

    entries = sorted({"": "Content-Type: text/plain; charset=UTF-8\n", **pairs}.items())
    ids, strs = [k.encode() for k, _v in entries], [v.encode() for _k, v in entries]
    n, start = len(entries), 7 * 4 + 16 * len(entries)
    offsets, data = [], b""
    for text in ids + strs:
        offsets.append((len(text), start + len(data)))
        data += text + b"\0"
    header = struct.pack("<7I", 0x950412DE, 0, n, 28, 28 + 8 * n, 0, 0)
    table = b"".join(struct.pack("<2I", *o) for o in offsets)
    path = directory / language / "LC_MESSAGES"
    path.mkdir(parents=True)
    (path / "django.mo").write_bytes(header + table + data)


def test_new_catalogues_after_the_settings_change_are_read_again(settings, tmp_path):
    with translation.override("en"):
        assert wording.gettext("Offerta") == "Offer"
    _catalogue(tmp_path, "en", {"Offerta": "Proposal"})
    settings.LOCALE_PATHS = [tmp_path]  # Django reads its catalogues again: a phrase remembered of the old ones is not used
    with translation.override("en"):
        assert django_gettext("Offerta") == "Proposal"
        assert wording.gettext("Offerta") == "Proposal"


def test_lazy_and_empty_phrases_go_to_django():
    from django.utils.translation import gettext_lazy

    with translation.override("en"):
        assert wording.gettext(gettext_lazy("Offerta")) == "Offer"
        assert wording.gettext("") == ""


@pytest.mark.parametrize("view", ["market:offer", "organisations:detail", "initiatives:detail", "collective:group"])
def test_a_link_is_the_one_django_reverses_for_any_id_and_script_prefix(view):
    try:
        for prefix in ("/", "/trama/", "/"):
            set_script_prefix(prefix)
            for pk in (1, 7, 42, 9081726, 2**40):
                assert wording.reverse_id(view, pk) == reverse(view, args=[pk]), (prefix, pk)
    finally:
        clear_script_prefix()
        set_script_prefix("/")


def test_another_urlconf_is_another_resolver(settings):
    assert wording.reverse_id("market:offer", 3) == reverse("market:offer", args=[3])
    settings.ROOT_URLCONF = "trama.tests.test_wording"
    with pytest.raises(Exception):  # noqa: B017,PT011  (no such view in this urlconf: Django's NoReverseMatch)
        wording.reverse_id("market:offer", 3)


urlpatterns: list = []
