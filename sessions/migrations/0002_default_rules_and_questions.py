"""Seed the default Dutch rule set and a starter question library.

Texts follow the source material (information sheet for listeners, Jeugdbescherming west) and
the usual practice of client-interest organisations. Organisations can keep their own set
beside these; each session gets a copy it may edit.
"""

from django.db import migrations

DEFAULT_RULES = [
    "Toehoorders spreken niet en reageren niet tijdens het gesprek, ook niet met gebaren of "
    "gezichtsuitdrukkingen.",
    "Er is geen discussie en geen verdediging: wat cliënten vertellen is hun ervaring.",
    "Wat hier gezegd wordt, blijft in deze ruimte. In het verslag staan geen namen.",
    "Cliënten spreken voor zichzelf en mogen een vraag overslaan.",
    "Positieve en negatieve ervaringen tellen allebei.",
    "De gespreksleider bewaakt de spelregels en de tijd.",
    "Aan het eind mogen toehoorders alleen verduidelijkende vragen stellen, als de "
    "gespreksleider dat toestaat.",
]

DEFAULT_QUESTIONS = [
    # (theme, kind, minutes, text)
    ("", "opening", 10, "Kunt u zich voorstellen en vertellen waarvoor u hulp kreeg?"),
    ("", "opening", 10, "Wat is u het meest bijgebleven van de hulp die u kreeg?"),
    ("Eerste contact", "prepared", 10, "Hoe kwam u in contact met het wijkteam of de organisatie?"),
    ("Eerste contact", "prepared", 10, "Hoe lang duurde het voordat u iemand sprak?"),
    ("Het gesprek", "prepared", 15, "Voelde u zich gehoord in het eerste gesprek? Wat hielp daarbij?"),
    ("Het gesprek", "prepared", 10, "Was duidelijk wat er met uw vraag zou gebeuren?"),
    ("Wmo-aanvraag", "prepared", 15, "Hoe verliep de aanvraag? Wat ging goed, wat kan beter?"),
    ("Wmo-aanvraag", "prepared", 10, "Begreep u de brieven en de beslissing die u kreeg?"),
    ("Samenwerking", "prepared", 10, "Had u met meerdere hulpverleners te maken? Hoe werkten zij samen?"),
    ("Eigen regie", "prepared", 10, "Kon u zelf meebeslissen over de hulp die u kreeg?"),
    ("", "closing", 10, "Als u één ding mocht veranderen, wat zou dat zijn?"),
    ("", "closing", 5, "Wat moeten de toehoorders vooral onthouden van vandaag?"),
    ("", "listener", 10, "Verduidelijkende vragen van de toehoorders."),
]


def seed(apps, schema_editor):
    Rule = apps.get_model("spiegel_sessions", "Rule")
    LibraryQuestion = apps.get_model("spiegel_sessions", "LibraryQuestion")
    if not Rule.objects.filter(organisation__isnull=True, session__isnull=True).exists():
        Rule.objects.bulk_create(
            Rule(text=text, position=i) for i, text in enumerate(DEFAULT_RULES, start=1)
        )
    if not LibraryQuestion.objects.filter(organisation__isnull=True).exists():
        LibraryQuestion.objects.bulk_create(
            LibraryQuestion(theme=theme, kind=kind, planned_minutes=minutes, text=text)
            for theme, kind, minutes, text in DEFAULT_QUESTIONS
        )


def unseed(apps, schema_editor):
    apps.get_model("spiegel_sessions", "Rule").objects.filter(
        organisation__isnull=True, session__isnull=True, text__in=DEFAULT_RULES
    ).delete()
    apps.get_model("spiegel_sessions", "LibraryQuestion").objects.filter(
        organisation__isnull=True, text__in=[q[3] for q in DEFAULT_QUESTIONS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("spiegel_sessions", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
