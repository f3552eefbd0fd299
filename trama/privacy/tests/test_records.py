"""docs/privacy.md, the records of processing (GDPR art. 30), is what the registry of personal data declares."""

from pathlib import Path

from django.conf import settings

from trama.privacy.records import records
from trama.privacy.registry import registry
from trama.privacy.retention import keys

DOCUMENT = Path(settings.BASE_DIR) / "docs" / "privacy.md"


def test_the_committed_records_are_the_ones_the_registry_writes():
    assert DOCUMENT.read_text(encoding="utf-8") == records(), (
        "docs/privacy.md disagrees with the declarations: run manage.py privacy_records > docs/privacy.md"
    )


def test_every_declared_model_is_there_with_its_purpose_retention_and_who_may_see_it():
    text = records()
    for declaration in registry:
        section = text.split(f"(`{declaration.label}`)\n", 1)[1].split("\n### ", 1)[0]
        for said in (declaration.purpose, declaration.basis, declaration.retention, declaration.seen_by):
            assert str(said) in section, (declaration.label, said)
    for key, (_declaration, _expiry, months) in keys().items():
        assert f"(`{key}`) | " in text and f" | {months} | " in text
