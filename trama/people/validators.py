import re
from difflib import SequenceMatcher

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy, ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's own, with its refusal in Italian.

    Django 5.2 changed this message's source text and its Italian catalogue
    still translates the old one, so the refusal would appear in English.
    """

    def get_error_message(self):
        return (
            ngettext(
                "Questa password è troppo corta: deve contenere almeno %d carattere.",
                "Questa password è troppo corta: deve contenere almeno %d caratteri.",
                self.min_length,
            )
            % self.min_length
        )


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    """Django's, also against the whole name and the whole e-mail before the @.

    Django compares the password with each attribute, and each word of it, alone: with
    passwords of at least ten characters a first name or a surname is too short to come
    close, so "Bianchini.Mariangela" passed for Mariangela Bianchini, and
    "Solitario_Lupo_1" for lupo.solitario@example.org. Here the words are also joined
    (the names in either order), without punctuation, and compared in order.
    """

    def validate(self, password, user=None):
        super().validate(password, user)
        if not user:
            return
        first, last = (user.first_name or "").lower(), (user.last_name or "").lower()
        local_part = (user.email or "").lower().split("@")[0]
        joined = [
            (gettext_lazy("nome e cognome"), first + last),
            (gettext_lazy("nome e cognome"), last + first),
            (gettext_lazy("e-mail"), local_part),
            (gettext_lazy("e-mail"), "".join(reversed(re.split(r"\W+", local_part)))),
        ]
        compact = re.sub(r"\W+", "", password.lower())
        for label, value in joined:
            value = re.sub(r"\W+", "", value)
            if value and SequenceMatcher(a=compact, b=value).ratio() >= self.max_similarity:
                raise ValidationError(self.get_error_message(), code="password_too_similar", params={"verbose_name": label})
