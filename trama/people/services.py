"""Actions on accounts that do more than one write."""

from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from trama.privacy import audit


def invitation_link(request, user):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return request.build_absolute_uri(reverse("people:invitation", args=[uid, token]))


def invite(request, form):
    """Create the invited account (no usable password yet) and e-mail the link to choose one."""
    user = form.save(commit=False)
    user.invited_by = request.user
    user.save()
    form.save_m2m()
    link = invitation_link(request, user)
    body = render_to_string("people/email/invitation.txt", {"user": user, "link": link, "inviter": request.user})
    send_mail(_("Il tuo invito a Trama"), body, None, [user.email])
    audit.record_change(request, user, audit.Action.CREATE, reason="invito")
    return user


def set_active(request, account, active):
    """Enable or disable an account; a disabled account's sessions stop working at once."""
    account.is_active = active
    account.save(update_fields=["is_active"])
    audit.record_change(request, account, reason="riattivato" if active else "disattivato")
    if not active:
        from rest_framework.authtoken.models import Token

        Token.objects.filter(user=account).delete()
