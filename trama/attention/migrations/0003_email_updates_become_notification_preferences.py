"""An antenna's `email_updates` becomes her notification preferences for the news of her signals.

She used to get two e-mails when contact happened: this app's own, and the notification's. From now on the
notification is the only one, and whether it comes by e-mail is her per-kind preference: those who had asked
for e-mails get the three kinds of news about their signals by e-mail, at once; a choice she had already made
for a kind in her preferences is kept. Going back sets the flag again for those who want that news by e-mail.
"""

from django.db import migrations

# notifications.Kind values of the news about an antenna's signals (attention.services.ANTENNA_NEWS).
SIGNAL_NEWS = ("signal_taken_up", "signal_contacted", "signal_closed")


def flag_to_preferences(apps, schema_editor):
    Antenna = apps.get_model("attention", "Antenna")
    Preference = apps.get_model("notifications", "Preference")
    accounts = list(Antenna.objects.filter(email_updates=True).values_list("account_id", flat=True))
    chosen = set(Preference.objects.filter(account_id__in=accounts, kind__in=SIGNAL_NEWS).values_list("account_id", "kind"))
    Preference.objects.bulk_create(
        [
            Preference(account_id=account, kind=kind, email=True, digest=False)
            for account in accounts
            for kind in SIGNAL_NEWS
            if (account, kind) not in chosen
        ]
    )


def preferences_to_flag(apps, schema_editor):
    Antenna = apps.get_model("attention", "Antenna")
    Preference = apps.get_model("notifications", "Preference")
    wanting = Preference.objects.filter(kind="signal_contacted", email=True).values("account_id")
    Antenna.objects.filter(account_id__in=wanting).update(email_updates=True)


class Migration(migrations.Migration):
    dependencies = [
        ("attention", "0002_antenna_deactivated_at"),
        ("notifications", "0005_more_kinds_of_news"),
    ]

    operations = [
        migrations.RunPython(flag_to_preferences, preferences_to_flag),
        migrations.RemoveField(model_name="antenna", name="email_updates"),
    ]
