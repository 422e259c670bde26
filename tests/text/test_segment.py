"""Segmentation keeps policy terms and place names whole; search mode also yields their parts."""

from zimao.text.segment import cut, cut_for_search, load_dictionary


def test_reform_terms_and_places_stay_whole():
    words = cut("临港新片区推行国际贸易单一窗口和证照分离改革，落实负面清单管理。")
    for term in ["临港新片区", "国际贸易单一窗口", "证照分离", "负面清单"]:
        assert term in words


def test_the_dictionary_comes_from_the_reference_data():
    terms = load_dictionary()
    assert "前海蛇口片区" in terms and "新疆自贸试验区" in terms


def test_search_mode_also_yields_the_parts_of_a_term():
    words = cut_for_search("负面清单")
    assert "负面清单" in words and "清单" in words


RACE = """
import threading
from zimao.text.segment import cut, cut_for_search
barrier = threading.Barrier(8)
errors = []
def worker(i):
    barrier.wait()
    try:
        for _ in range(20):
            (cut if i % 2 else cut_for_search)("企业开办全程网上办理，跨境贸易单一窗口")
    except Exception as exc:
        errors.append(repr(exc))
threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(errors[:2])
raise SystemExit(1 if errors else 0)
"""


def test_the_first_requests_of_a_server_thread_pool_can_segment_at_once():
    """Eight threads of a fresh process segment at the same moment, while the dictionary is
    still being loaded (a gunicorn worker's first requests): none fails."""
    import subprocess
    import sys

    for _ in range(3):
        result = subprocess.run(
            [sys.executable, "-c", RACE], capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, result.stdout + result.stderr
