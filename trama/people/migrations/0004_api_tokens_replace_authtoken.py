"""Our own API tokens replace DRF's authtoken.

DRF's tokens were stored in clear and never expired: they are dropped, not
converted (whoever used one asks for a new token). On a database created before
this change the authtoken table, its migration records and its content type go;
on a fresh database there is nothing to drop.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def forget_authtoken(apps, schema_editor):
    schema_editor.execute("DROP TABLE IF EXISTS authtoken_token")
    schema_editor.execute("DELETE FROM django_migrations WHERE app = 'authtoken'")
    # Deleting the content type also deletes its permissions.
    apps.get_model("contenttypes", "ContentType").objects.filter(app_label="authtoken").delete()


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0003_person_list_and_name_search_indexes'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.CreateModel(
            name='ApiToken',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, verbose_name='nome')),
                ('prefix', models.CharField(max_length=12, unique=True, verbose_name='prefisso')),
                ('digest', models.CharField(max_length=64, verbose_name='impronta SHA-256 della chiave')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='creato il')),
                ('last_used_at', models.DateTimeField(blank=True, null=True, verbose_name='ultimo uso')),
                ('expires_at', models.DateTimeField(verbose_name='scade il')),
                ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='revocato il')),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='api_tokens', to=settings.AUTH_USER_MODEL, verbose_name='account')),
            ],
            options={
                'verbose_name': 'token API',
                'verbose_name_plural': 'token API',
                'ordering': ['-created_at', '-pk'],
                'indexes': [models.Index(fields=['account', 'revoked_at'], name='people_apit_account_5310f7_idx')],
            },
        ),
        # The dropped tokens cannot come back: going backwards leaves them gone.
        migrations.RunPython(forget_authtoken, migrations.RunPython.noop),
    ]
