from django.core.mail import send_mail
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from trama.background.registry import describe


@task()
def send_email(subject, body, recipients):
    """Send one e-mail from the background worker, so a slow mail server never slows a page."""
    send_mail(subject, body, None, recipients)


# An e-mail is sent at most once: the server may have taken it just before the worker stopped, so a
# task interrupted in the middle is given up (and listed for the coordinators) rather than sent again.
describe(send_email, _("Invio di un'e-mail"), max_attempts=1)
