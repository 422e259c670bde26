"""Starting Django (every `zimao` command, every test subprocess) does not load SciPy or
scikit-learn: they take seconds to import and only text comparison needs them."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import sys
import django
django.setup()
heavy = sorted({name.split(".")[0] for name in sys.modules} & {"sklearn", "scipy"})
print(",".join(heavy) or "none")
"""


def test_django_setup_does_not_import_scipy_or_sklearn():
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
