"""The default evaluation rubric: the five criteria of best-practice selection, equal weights."""

DEFAULT_CRITERIA = [
    ("originality", "首创性", "Originality"),
    ("replicability", "可复制可推广", "Replicability"),
    ("strategic_fit", "契合性", "Strategic fit"),
    ("distinctiveness", "差异化", "Distinctiveness"),
    ("effect", "成效", "Measured effect"),
]


def ensure_default_rubric() -> int:
    """Create any missing default criterion (weights already set are left alone)."""
    from .models import Criterion

    created = 0
    for position, (code, name_zh, name_en) in enumerate(DEFAULT_CRITERIA):
        _, new = Criterion.objects.get_or_create(
            code=code,
            defaults={"name_zh": name_zh, "name_en": name_en, "weight": 1, "position": position},
        )
        created += new
    return created
