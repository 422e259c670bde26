"""Re-key reference observations whose period or subject was corrected in the dataset, so the
next `load-reference` updates them instead of adding a second row beside the wrong one."""

from django.db import migrations

# (indicator, old kind, old subject, old period, source starts with) -> (new kind, new period)
CORRECTIONS = [
    (("trade_share_national", "ftz_all", "", "2018", "https://www.rsa-tax.com"), ("ftz_all", "2013..2018")),
    (("fdi_share_national", "ftz_all", "", "2018", "https://www.rsa-tax.com"), ("ftz_all", "2013..2018")),
    (("replicated_total", "nation", "", "2019", "https://chujuan.cn"), ("nation", "2019-06")),
    (("institutional_innovations", "province", "sichuan", "2021", "《制度对接"), ("pilot_areas", "2021")),
    (("replicated_provincial_total", "province", "sichuan", "2021", "《制度对接"), ("pilot_areas", "2021")),
    (("trade_growth", "province", "sichuan", "2020", "《制度对接"), ("pilot_areas", "2020")),
    (("fdi_growth", "province", "sichuan", "2020", "《制度对接"), ("pilot_areas", "2020")),
]


def rekey(apps, schema_editor):
    Observation = apps.get_model("indicators", "Observation")
    for (code, kind, subject, period, source), (new_kind, new_period) in CORRECTIONS:
        rows = Observation.objects.filter(
            indicator__code=code, subject_kind=kind, subject=subject, period=period,
            source__startswith=source,
        )
        for row in rows:
            clash = Observation.objects.filter(
                indicator=row.indicator, subject_kind=new_kind, subject=subject,
                period=new_period, source=row.source,
            )
            if not clash.exists():
                row.subject_kind, row.period = new_kind, new_period
                row.save(update_fields=["subject_kind", "period"])


class Migration(migrations.Migration):
    dependencies = [("indicators", "0002_observation_unknown_values_conversion_reason_index")]
    operations = [migrations.RunPython(rekey, migrations.RunPython.noop)]
