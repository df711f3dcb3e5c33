# Large exports of the actions (XLSX, CSV) are made in the background like the overview PDF:
# two more kinds of report, and the stored file is no longer always a PDF.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('findings', '0003_report_jobs'),
    ]

    operations = [
        migrations.RenameField(
            model_name='reportjob',
            old_name='pdf',
            new_name='content',
        ),
        migrations.AlterField(
            model_name='reportjob',
            name='content',
            field=models.BinaryField(blank=True, null=True, verbose_name='bestand'),
        ),
        migrations.AlterField(
            model_name='reportjob',
            name='report',
            field=models.CharField(choices=[('actions', 'Overzicht verbeteracties'), ('actions_xlsx', 'Verbeteracties voor Excel (XLSX)'), ('actions_csv', 'Verbeteracties voor Excel (CSV)')], max_length=20, verbose_name='rapport'),
        ),
    ]
