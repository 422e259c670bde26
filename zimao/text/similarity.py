"""Near-duplicate detection over words and character n-grams (no Django: bulk jobs and
benchmarks use it).

Words (rjieba with the FTZ dictionary) keep a reform's action whole (容缺受理, 告知承诺制), so
two texts about the same object but a different reform stay apart; character 2–3-grams, at half
the weight, tolerate paraphrase (单一窗口 / 单窗口). Both are hashed into fixed columns, so the
weights fitted on one collection (`Weights`: document frequencies per column) score any later
text without refitting: the search app stores them and scores a new record against its
candidates with them. Sparse matrix products compare every pair block by block. The threshold
and the document-frequency cut are measured over all pairs by `benchmarks/run.py --only
similar` (docs/benchmarks.md).
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from .segment import cut

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction.text import HashingVectorizer

# SciPy and scikit-learn are imported inside the functions that use them: loading them takes
# seconds, and every `zimao` command, test subprocess and web process that starts Django would
# pay for it even when it never compares two texts.

DUPLICATE_THRESHOLD = 0.75
BLOCK = 500
LARGE = 200  # from this many texts on, features in more than MAX_DF of them are ignored
MAX_DF = 0.2
CHAR_WEIGHT = 0.5  # the character n-grams' share of a vector, next to the words (1)
FEATURES = 2**20  # hashed columns per part: few collisions for a large catalogue's features


def words(text: str) -> list[str]:
    """Accurate-mode words (rjieba with the FTZ dictionary), punctuation left out."""
    return [w for w in cut(text) if any(c.isalnum() for c in w)]


def _hasher(**options: Any) -> HashingVectorizer:
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(
        n_features=FEATURES, alternate_sign=False, norm=None, dtype=np.float32, **options
    )


@cache
def _hashers() -> tuple[HashingVectorizer, HashingVectorizer]:
    """The word and the character 2–3-gram hashers, made on first use."""
    return _hasher(analyzer=words), _hasher(analyzer="char", ngram_range=(2, 3))


def _counts(texts: Sequence[str]) -> csr_matrix:
    """Word counts in the first FEATURES columns, character 2–3-gram counts in the next."""
    from scipy.sparse import csr_matrix, hstack

    if not texts:  # an empty instance: the hashing vectorizers refuse an empty list
        return csr_matrix((0, 2 * FEATURES), dtype=np.float64)
    word_hasher, char_hasher = _hashers()
    matrix: csr_matrix = hstack(
        [word_hasher.transform(texts), char_hasher.transform(texts)]
    ).tocsr()
    return matrix


@dataclass(frozen=True)
class Weights:
    """Document frequency of every hashed word and n-gram in the collection the weights were
    fitted on.

    Fitted once (at reindex), stored, and then used as a fixed vocabulary: a new text is
    weighted with them, never by refitting on the texts it is compared with.
    """

    documents: int
    df: np.ndarray  # int32, 2 × FEATURES

    @classmethod
    def fit(cls, texts: Sequence[str]) -> Weights:
        return cls._fit(_counts(texts))

    @classmethod
    def _fit(cls, counts: csr_matrix) -> Weights:
        df = np.bincount(counts.indices, minlength=2 * FEATURES).astype(np.int32)
        return cls(counts.shape[0], df)

    @classmethod
    def fit_transform(cls, texts: Sequence[str]) -> tuple[Weights, csr_matrix]:
        """The weights of `texts` and their rows, segmenting and hashing them once."""
        counts = _counts(texts)
        weights = cls._fit(counts)
        return weights, weights._weigh(counts)

    @cached_property
    def idf(self) -> np.ndarray:
        """Smoothed IDF; zero for features too common to tell reforms apart (办理, 企业 …)."""
        idf = np.log((1 + self.documents) / (1 + self.df.astype(np.float32))) + 1
        if self.documents >= LARGE:
            idf[self.df > MAX_DF * self.documents] = 0
        return idf.astype(np.float32)

    def transform(self, texts: Sequence[str]) -> csr_matrix:
        """Rows of sublinear TF × IDF: words and n-grams normalised apart, the n-grams weighted
        CHAR_WEIGHT, the whole row L2-normalised."""
        return self._weigh(_counts(texts))

    def _weigh(self, counts: csr_matrix) -> csr_matrix:
        from scipy.sparse import hstack
        from sklearn.preprocessing import normalize

        matrix = counts.copy()
        matrix.data = (1 + np.log(matrix.data)) * self.idf[matrix.indices]
        matrix.eliminate_zeros()
        parts = [normalize(matrix[:, :FEATURES]), normalize(matrix[:, FEATURES:]) * CHAR_WEIGHT]
        rows: csr_matrix = normalize(hstack(parts).tocsr())
        return rows

    def to_bytes(self) -> bytes:
        return zlib.compress(self.df.astype("<i4").tobytes(), 6)

    @classmethod
    def from_bytes(cls, documents: int, data: bytes) -> Weights:
        df = np.frombuffer(zlib.decompress(data), dtype="<i4").astype(np.int32)
        if df.shape != (2 * FEATURES,):
            raise ValueError("stored weights have another size")
        return cls(documents, df)


def vectorize(texts: Sequence[str]) -> csr_matrix:
    """TF-IDF rows (see `Weights.transform`) fitted on `texts` themselves."""
    return Weights.fit_transform(texts)[1]


def blocks(
    matrix: csr_matrix, threshold: float, block: int = BLOCK
) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(rows, columns, scores) of every pair of rows with cosine ≥ threshold, one block of rows
    at a time (a row with itself included)."""
    for start in range(0, matrix.shape[0], block):
        product = (matrix[start : start + block] @ matrix.T).tocoo()
        keep = product.data >= threshold
        yield product.row[keep] + start, product.col[keep], product.data[keep]


def duplicate_pairs(
    texts: Sequence[str], threshold: float = DUPLICATE_THRESHOLD, weights: Weights | None = None
) -> list[tuple[int, int, float]]:
    """All pairs (i < j) with cosine ≥ threshold, computed block by block, with `weights`
    (default: fitted on `texts`; a handful of texts is too few to tell common words)."""
    matrix = weights.transform(texts) if weights is not None else vectorize(texts)
    pairs = []
    for rows, cols, scores in blocks(matrix, threshold):
        for i, j, score in zip(rows, cols, scores, strict=True):
            if i < j:
                pairs.append((int(i), int(j), float(score)))
    return pairs


def clusters(
    texts: Sequence[str], threshold: float = DUPLICATE_THRESHOLD, weights: Weights | None = None
) -> list[list[int]]:
    """Groups of near-duplicate texts, largest first; texts without a duplicate are left out.

    Star clustering: the text with the most duplicates becomes a centre and takes its
    still-unassigned duplicates, then the next. Unlike connected components, a chain of
    pairwise-similar texts cannot glue different reforms into one group.
    """
    return star_groups(duplicate_pairs(texts, threshold, weights))


def star_groups(pairs: Iterable[tuple[int, int, float]]) -> list[list[int]]:
    """Star clustering of duplicate pairs (see `clusters`), largest group first."""
    neighbours: dict[int, list[int]] = defaultdict(list)
    for i, j, _ in pairs:
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


def warm_up() -> None:
    """Import SciPy and scikit-learn now: a web server calls this before forking its workers,
    which then share the loaded libraries instead of each loading them on a first write."""
    from sklearn.preprocessing import normalize  # noqa: F401

    _hashers()
