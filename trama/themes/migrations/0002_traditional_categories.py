"""Load the administration's traditional user areas from data/categorie_tradizionali.csv (reversible).

The loading is in trama/themes/categories.py, which the synthetic city calls too; it reads the
model from the `apps` it is given, so here the historical one.
"""

from django.db import migrations

from trama.themes.categories import load, unload


class Migration(migrations.Migration):
    dependencies = [("themes", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
