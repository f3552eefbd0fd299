"""A person with data in every app: their copy holds every declared row, with every declared field."""

import pytest

from trama.privacy import exports
from trama.privacy.registry import registry

pytestmark = pytest.mark.django_db


def test_every_declared_model_has_a_row_of_the_person_in_the_record(everywhere):
    record = exports.record_of(everywhere)
    empty = [s["model"] for s in record["sections"] if not s["rows"]]
    assert empty == []
    for section in record["sections"]:
        declaration = registry.declarations[section["model"]]
        expected = {f.name for f in declaration.exported_fields()}
        assert all(set(row) == expected for row in section["rows"]), section["model"]
        assert not (set(declaration.hidden) | set(declaration.withheld)) & set(section["rows"][0]), section["model"]
        assert section["withheld"] == list(declaration.withheld)


def test_the_readable_copy_is_built_for_a_person_with_data_everywhere(everywhere):
    record = exports.record_of(everywhere)
    pdf = exports.build_pdf(record, everywhere)
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
