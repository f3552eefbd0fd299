"""The shared form layout draws every drop-down with a real first option, never Django's "---------"."""

import pytest
from django import forms
from django.template import Context, Template

from trama.people.models import Organisation

pytestmark = pytest.mark.django_db


class Example(forms.Form):
    colour = forms.ChoiceField(choices=[("", "---------"), ("red", "Rosso")])
    shade = forms.ChoiceField(choices=[("", "---------"), ("dark", "Scuro")], required=False)
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.all())
    partner = forms.ModelChoiceField(queryset=Organisation.objects.all(), required=False, empty_label="— nessuna realtà —")


def rendered(form):
    return Template('{% include "partials/form_fields.html" %}').render(Context({"form": form}))


def test_djangos_dashes_become_a_prompt_and_a_form_keeps_its_own_words():
    html = rendered(Example())
    assert "---------" not in html
    assert html.count('<option value="" selected>Scegli</option>') == 2  # colour and organisation: an answer is required
    assert '<option value="" selected>Nessuna scelta</option>' in html  # shade: none is
    assert "— nessuna realtà —" in html
    assert html.count('class="form-select"') == 4
