"""Organisation.members gains a role (referent or member): the automatic link table becomes Membership.

Every existing link is copied as a plain member; going back copies them to the automatic table again.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def copy_links(apps, schema_editor):
    Organisation = apps.get_model("people", "Organisation")
    Membership = apps.get_model("people", "Membership")
    links = Organisation.old_members.through.objects.values_list("organisation_id", "user_id")
    Membership.objects.bulk_create(
        [Membership(organisation_id=org, account_id=user, role="member") for org, user in links.iterator()], batch_size=1000)


def copy_links_back(apps, schema_editor):
    Organisation = apps.get_model("people", "Organisation")
    Membership = apps.get_model("people", "Membership")
    through = Organisation.old_members.through
    through.objects.bulk_create(
        [through(organisation_id=org, user_id=user) for org, user in
         Membership.objects.values_list("organisation_id", "account_id").iterator()], batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ("people", "0006_organisation_profile_and_services"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField("organisation", "members", "old_members"),
        migrations.CreateModel(
            name="Membership",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("role", models.CharField(choices=[("referent", "Referente"), ("member", "Membro")], default="member",
                                          max_length=20, verbose_name="ruolo nell'organizzazione")),
                ("account", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                              related_name="organisation_memberships", to=settings.AUTH_USER_MODEL,
                                              verbose_name="account")),
                ("organisation", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="memberships",
                                                   to="people.organisation", verbose_name="organizzazione")),
            ],
            options={
                "verbose_name": "appartenenza a un'organizzazione",
                "verbose_name_plural": "appartenenze a organizzazioni",
                "ordering": ["organisation", "-role", "pk"],
                "constraints": [models.UniqueConstraint(fields=("organisation", "account"), name="membership_once_per_organisation")],
            },
        ),
        migrations.RunPython(copy_links, copy_links_back),
        migrations.RemoveField("organisation", "old_members"),
        migrations.AddField(
            model_name="organisation",
            name="members",
            field=models.ManyToManyField(blank=True, related_name="organisations", through="people.Membership",
                                         to=settings.AUTH_USER_MODEL, verbose_name="membri"),
        ),
    ]
