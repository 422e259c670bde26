"""The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from a
31-character alphabet (digits and capitals without I, O, Z, S, V), the third to eighth a
division code (digits), the last a check character over the first 17."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
VALUES = {c: i for i, c in enumerate(ALPHABET)}


def check_character(first17: str) -> str:
    """The check character of the first 17 characters: 31 − (Σ value × weight mod 31)."""
    total = sum(VALUES[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def check_credit_code(raw: str) -> str:
    """The code in capitals, or a ValidationError saying which rule it breaks."""
    code = "".join((raw or "").split()).upper()
    if len(code) != 18:
        raise ValidationError(
            {"credit_code": _("统一社会信用代码应为 18 位，当前为 %(n)s 位。") % {"n": len(code)}}
        )
    wrong = sorted({c for c in code if c not in VALUES})
    if wrong:
        raise ValidationError(
            {
                "credit_code": _(
                    "统一社会信用代码含有不允许的字符：%(c)s（不使用 I、O、Z、S、V）。"
                )
                % {"c": "、".join(wrong)}
            }
        )
    if not code[2:8].isdigit():
        raise ValidationError(
            {"credit_code": _("统一社会信用代码第 3–8 位应为行政区划代码（数字）。")}
        )
    if check_character(code[:17]) != code[17]:
        raise ValidationError(
            {"credit_code": _("统一社会信用代码校验位不正确，请核对后重新填写。")}
        )
    return code
