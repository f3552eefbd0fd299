"""What keeps a text off the public pages."""

from trama.practices.checks import problems


def test_a_plain_account_of_the_work_passes():
    assert problems("Ogni giovedì una merenda in cortile nel 2024 e nel 2025, con la scuola e 3 volontari.", ["Gino"]) == []


def test_contacts_codes_names_and_labels_are_each_refused():
    assert problems("Chiamate Lia al 333 123 4567") == ["contiene un numero di telefono"]
    assert problems("Per info 0521 234567.") == ["contiene un numero di telefono"]
    assert problems("scrivete a lia.rossi@example.org") == ["contiene un indirizzo e-mail"]
    assert problems("il suo codice è RSSMRA85T10A562S") == ["contiene un codice fiscale"]
    assert problems("Gino ha portato la torta", ["Gino", "Rossi"]) == ["nomina persone coinvolte: Gino"]
    assert problems("per gli anziani del quartiere") == ["usa parole che etichettano le persone: anziani"]


def test_a_name_is_a_whole_word_and_short_names_are_not_looked_for():
    assert problems("La ginnastica del martedì", ["Gino", "Al"]) == []
