"""Agreement references get a numeric year and number; free text and dates get limits.

The next reference was the text maximum plus one, and as text "SA-2026-9999" sorts above
"SA-2026-10000": the 10,001st agreement of a year could never be registered.
"""

import django.core.validators
import portal.validators
from django.conf import settings
from django.db import migrations, models


def numbers_from_references(apps, schema_editor):
    Agreement = apps.get_model("partnerships", "Agreement")
    for agreement in Agreement.objects.only("reference"):
        _prefix, year, number = agreement.reference.split("-")  # "SA-2026-0001"
        agreement.reference_year, agreement.reference_number = int(year), int(number)
        agreement.save(update_fields=["reference_year", "reference_number"])


class Migration(migrations.Migration):

    dependencies = [
        ('partnerships', '0002_search'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='agreement',
            options={'ordering': ['-start_date', '-reference_year', '-reference_number'], 'verbose_name': 'cooperation agreement', 'verbose_name_plural': 'cooperation agreements'},
        ),
        migrations.AddField(
            model_name='agreement',
            name='reference_number',
            field=models.PositiveIntegerField(editable=False, null=True, verbose_name='reference number'),
        ),
        migrations.AddField(
            model_name='agreement',
            name='reference_year',
            field=models.PositiveSmallIntegerField(editable=False, null=True, verbose_name='reference year'),
        ),
        migrations.AlterField(
            model_name='activity',
            name='due_date',
            field=models.DateField(validators=[portal.validators.validate_date_in_range], verbose_name='due date'),
        ),
        migrations.AlterField(
            model_name='activity',
            name='notes',
            field=models.TextField(blank=True, max_length=5000, validators=[django.core.validators.MaxLengthValidator(5000)], verbose_name='notes'),
        ),
        migrations.AlterField(
            model_name='agreement',
            name='end_date',
            field=models.DateField(blank=True, null=True, validators=[portal.validators.validate_date_in_range], verbose_name='end date'),
        ),
        migrations.AlterField(
            model_name='agreement',
            name='purpose',
            field=models.TextField(max_length=5000, validators=[django.core.validators.MaxLengthValidator(5000)], verbose_name='purpose'),
        ),
        migrations.AlterField(
            model_name='agreement',
            name='start_date',
            field=models.DateField(validators=[portal.validators.validate_date_in_range], verbose_name='start date'),
        ),
        migrations.AlterField(
            model_name='historicalactivity',
            name='due_date',
            field=models.DateField(validators=[portal.validators.validate_date_in_range], verbose_name='due date'),
        ),
        migrations.AlterField(
            model_name='historicalactivity',
            name='notes',
            field=models.TextField(blank=True, max_length=5000, validators=[django.core.validators.MaxLengthValidator(5000)], verbose_name='notes'),
        ),
        migrations.AlterField(
            model_name='historicalagreement',
            name='end_date',
            field=models.DateField(blank=True, null=True, validators=[portal.validators.validate_date_in_range], verbose_name='end date'),
        ),
        migrations.AlterField(
            model_name='historicalagreement',
            name='purpose',
            field=models.TextField(max_length=5000, validators=[django.core.validators.MaxLengthValidator(5000)], verbose_name='purpose'),
        ),
        migrations.AlterField(
            model_name='historicalagreement',
            name='start_date',
            field=models.DateField(validators=[portal.validators.validate_date_in_range], verbose_name='start date'),
        ),
        migrations.AlterField(
            model_name='historicalsignatory',
            name='signed_on',
            field=models.DateField(blank=True, null=True, validators=[portal.validators.validate_date_in_range], verbose_name='date signed'),
        ),
        migrations.AlterField(
            model_name='signatory',
            name='signed_on',
            field=models.DateField(blank=True, null=True, validators=[portal.validators.validate_date_in_range], verbose_name='date signed'),
        ),
        migrations.RunPython(numbers_from_references, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='agreement',
            name='reference_number',
            field=models.PositiveIntegerField(editable=False, verbose_name='reference number'),
        ),
        migrations.AlterField(
            model_name='agreement',
            name='reference_year',
            field=models.PositiveSmallIntegerField(editable=False, verbose_name='reference year'),
        ),
        migrations.AddConstraint(
            model_name='agreement',
            constraint=models.UniqueConstraint(fields=('reference_year', 'reference_number'), name='agreement_reference_number_once_per_year'),
        ),
    ]
