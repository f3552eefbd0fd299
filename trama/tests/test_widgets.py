"""Form controls drawn without Django's widget templates (trama.widgets) are character for character
what Django draws: on a form of every kind of field, with hostile values and errors, and on the pages
whose forms are the most used."""

import re

import pytest
from django import forms
from django.urls import reverse

from trama import widgets
from trama.people.models import Role


class EveryKind(forms.Form):
    choice = forms.ChoiceField(choices=[("", "---------"), ("x", 'X & "y" <b>'), ("gruppo", [("1", "uno"), ("2", "due")])])
    several = forms.MultipleChoiceField(choices=[("1", "uno"), ("2", "due")], required=False)
    text = forms.CharField(max_length=10, help_text="aiuto")
    number = forms.IntegerField(required=False)
    maybe = forms.NullBooleanField()
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    hidden = forms.CharField(widget=forms.HiddenInput)
    mail = forms.EmailField(disabled=True)
    numbers_as_labels = forms.ChoiceField(choices=[(1, 2), (3, 4.5)])
    search = forms.CharField(widget=forms.TextInput(attrs={"type": "search", "placeholder": 'cerca "qui"'}), required=False)
    long_text = forms.CharField(widget=forms.Textarea, required=False)  # not drawn by trama.widgets: Django draws it
    pick = forms.ChoiceField(widget=forms.RadioSelect, choices=[("a", "A")], required=False)  # nor this one


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"choice": "2", "several": ["1", "2"], "text": '"><script>alert(1)</script>', "number": "12", "maybe": "true", "day": "2026-01-02"},
        {"choice": "nessuna", "number": "x" * 5000, "maybe": "forse", "day": "ieri", "hidden": "<z>", "numbers_as_labels": "3", "search": "&amp;"},
    ],
)
def test_each_control_is_what_django_draws(data):
    form = EveryKind(data)
    if data is not None:
        form.is_valid()
    for field in form:
        attrs = {"class": "form-select" if "select" in field.widget_type else "form-control"}
        if field.errors:
            attrs.update({"class": attrs["class"] + " is-invalid", "aria-invalid": "true", "aria-describedby": f"{field.auto_id}-errore"})
        assert widgets.render(field, dict(attrs)) == field.as_widget(attrs=dict(attrs)), field.name


def _same_page(html):
    """A page without what changes from one request to the next (the CSRF token, the CSP nonce)."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'nonce="[^"]+"', "", html)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role, name",
    [
        (Role.WORKER, "market:offers"),
        (Role.WORKER, "market:needs"),
        (Role.WORKER, "attention:signal_record"),
        (Role.WORKER, "initiatives:list"),
        (Role.ANTENNA, "attention:signal_create"),
        (None, "market:offers"),
        (None, "initiatives:catalogue"),
    ],
)
def test_pages_with_forms_are_the_same_drawn_either_way(client, users, role, name, monkeypatch):
    if role is not None:
        client.force_login(users[role])
    url = reverse(name)
    fast = client.get(url, {"q": '"><b>spesa'})
    assert fast.status_code == 200
    monkeypatch.setattr(widgets, "_drawable", lambda widget, renderer: None)  # every control drawn by Django
    slow = client.get(url, {"q": '"><b>spesa'})
    assert "<select" in slow.content.decode() or "<input" in slow.content.decode()
    assert _same_page(fast.content.decode()) == _same_page(slow.content.decode())
