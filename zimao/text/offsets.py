"""Offset maps: every character of a normalised text knows where it came from."""

from bisect import bisect_right
from collections.abc import Iterable


class OffsetMap:
    """Piecewise-linear map from normalised positions to original positions.

    Stored as runs (norm_start, orig_start, length); normalisation only copies, substitutes one
    character for one, or deletes, so a run is always a straight copy of an original range.
    """

    __slots__ = ("_lengths", "_norm_starts", "_orig_starts", "length")

    def __init__(self, runs: Iterable[tuple[int, int, int]]) -> None:
        self._norm_starts: list[int] = []
        self._orig_starts: list[int] = []
        self._lengths: list[int] = []
        for norm_start, orig_start, length in runs:
            if length <= 0:
                continue
            if self._lengths and (
                self._norm_starts[-1] + self._lengths[-1] == norm_start
                and self._orig_starts[-1] + self._lengths[-1] == orig_start
            ):
                self._lengths[-1] += length
                continue
            self._norm_starts.append(norm_start)
            self._orig_starts.append(orig_start)
            self._lengths.append(length)
        self.length = (self._norm_starts[-1] + self._lengths[-1]) if self._lengths else 0

    @classmethod
    def identity(cls, length: int) -> "OffsetMap":
        return cls([(0, 0, length)])

    def position(self, index: int) -> int:
        """Return the original position of normalised character `index`."""
        if not 0 <= index < self.length:
            raise IndexError(index)
        run = bisect_right(self._norm_starts, index) - 1
        return self._orig_starts[run] + index - self._norm_starts[run]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Return the original span covering normalised characters start..end-1."""
        if end <= start:
            raise ValueError(f"empty span {start}:{end}")
        return self.position(start), self.position(end - 1) + 1

    def after_deleting(self, keep: list[tuple[int, int]]) -> "OffsetMap":
        """Compose with a deletion pass that kept the given ranges of the current text."""
        runs = []
        new_start = 0
        run = 0
        norm_starts, orig_starts, lengths = self._norm_starts, self._orig_starts, self._lengths
        for start, end in keep:  # both lists are sorted: walk them together
            index = start
            while index < end:
                while norm_starts[run] + lengths[run] <= index:
                    run += 1
                piece_end = min(end, norm_starts[run] + lengths[run])
                runs.append(
                    (new_start, orig_starts[run] + index - norm_starts[run], piece_end - index)
                )
                new_start += piece_end - index
                index = piece_end
        return OffsetMap(runs)


def complement(length: int, deletions: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Return the ranges of 0..length not covered by the (possibly overlapping) deletions."""
    keep = []
    position = 0
    for start, end in sorted(deletions):
        if start > position:
            keep.append((position, start))
        position = max(position, end)
    if position < length:
        keep.append((position, length))
    return keep
