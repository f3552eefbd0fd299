from django.contrib.auth import password_validation
from django.utils.translation import ngettext


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
