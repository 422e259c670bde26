"""Starting Django (every `zimao` command, every server start, every test subprocess) does not
load SciPy or scikit-learn (seconds to import; only text comparison needs them), nor the
segmenter's dictionary, the Chinese-numeral parser or matplotlib (together about two thirds of a
second; only text work and print charts need them)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import sys
import django
django.setup()
LAZY = {"sklearn", "scipy", "rjieba", "cn2an", "matplotlib"}
heavy = sorted({name.split(".")[0] for name in sys.modules} & LAZY)
print(",".join(heavy) or "none")
"""


def test_django_setup_does_not_import_the_heavy_libraries():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "zimao.settings", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert done.stdout.strip().splitlines()[-1] == "none"


def test_text_comparison_still_loads_them_when_used():
    from zimao.text.similarity import duplicate_pairs

    pairs = duplicate_pairs(
        ["推行跨境贸易单一窗口申报", "推行跨境贸易单一窗口申报", "企业开办一日办结"]
    )
    assert [(i, j) for i, j, _ in pairs] == [(0, 1)]


def test_segmenting_numbers_and_charts_still_load_them_when_used():
    from zimao.reports.charts import bar_chart, pyplot
    from zimao.text.numbers import parse_number
    from zimao.text.segment import cut

    assert "负面清单" in cut("修订负面清单")
    assert parse_number("三亿五千万") == 350_000_000
    assert bar_chart(["上海", "广东"], [1.0, 2.0]).startswith(b"\x89PNG")
    assert pyplot().get_backend().lower() == "agg"
