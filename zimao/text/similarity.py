"""Near-duplicate detection over character n-grams (no Django: bulk jobs and benchmarks use it).

Character 2–3-grams need no segmentation and tolerate paraphrase (单一窗口 / 单窗口), so two
zones describing the same reform in their own words still meet. Sparse matrix products compare
every pair block by block. The threshold is the best-F1 point on the labelled pairs measured by
`make bench` (docs/benchmarks.md).
"""

from collections import defaultdict
from collections.abc import Sequence

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import TfidfVectorizer

DUPLICATE_THRESHOLD = 0.3
BLOCK = 2000
LARGE = 200  # from this many texts on, n-grams in over 5 % of them are ignored


def vectorize(texts: Sequence[str]) -> csr_matrix:
    """L2-normalised TF-IDF rows over character 2–3-grams.

    In a large collection, n-grams found in more than 5 % of the texts (办理, 审批, 企业 …) are
    dropped: they make unrelated reforms look alike, and they make every pair a candidate.
    """
    vectorizer = TfidfVectorizer(
        analyzer="char",
        ngram_range=(2, 3),
        sublinear_tf=True,
        dtype=np.float32,
        max_df=0.05 if len(texts) >= LARGE else 1.0,
    )
    return vectorizer.fit_transform(texts)


def duplicate_pairs(
    texts: Sequence[str], threshold: float = DUPLICATE_THRESHOLD
) -> list[tuple[int, int, float]]:
    """All pairs (i < j) with cosine ≥ threshold, computed block by block."""
    matrix = vectorize(texts)
    pairs = []
    for start in range(0, matrix.shape[0], BLOCK):
        block = (matrix[start : start + BLOCK] @ matrix.T).tocoo()
        keep = block.data >= threshold
        for i, j, score in zip(
            block.row[keep] + start, block.col[keep], block.data[keep], strict=True
        ):
            if i < j:
                pairs.append((int(i), int(j), float(score)))
    return pairs


def clusters(texts: Sequence[str], threshold: float = DUPLICATE_THRESHOLD) -> list[list[int]]:
    """Groups of near-duplicate texts, largest first; texts without a duplicate are left out.

    Star clustering: the text with the most duplicates becomes a centre and takes its
    still-unassigned duplicates, then the next. Unlike connected components, a chain of
    pairwise-similar texts cannot glue different reforms into one group.
    """
    neighbours: dict[int, list[int]] = defaultdict(list)
    for i, j, _ in duplicate_pairs(texts, threshold):
        neighbours[i].append(j)
        neighbours[j].append(i)
    assigned: set[int] = set()
    groups = []
    for centre in sorted(neighbours, key=lambda k: (-len(neighbours[k]), k)):
        if centre in assigned:
            continue
        members = [centre] + [n for n in neighbours[centre] if n not in assigned]
        assigned.update(members)
        if len(members) > 1:
            groups.append(sorted(members))
    return sorted(groups, key=len, reverse=True)
