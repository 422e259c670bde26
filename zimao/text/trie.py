"""Compile a word list into a prefix-tree regular expression.

Python's `re` tries the branches of `a|b|c` one by one; a 300-name alternation is tried 300
times at every position. Sharing prefixes (前海蛇口片区|前海片区 → 前海(?:蛇口)?片区) lets the
engine reject a position after one character.
"""

import re
from typing import Any


def _build(words: list[str]) -> dict[str, Any]:
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = True
    return root


def _pattern(node: dict[str, Any]) -> str:
    ends = "" in node
    branches = [re.escape(char) + _pattern(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends:
        # Longest match first: the optional tail is tried before stopping here.
        return f"(?:{body})?" if len(branches) > 1 or len(body) > 1 else f"{body}?"
    return body


def trie_regex(words: list[str]) -> str:
    """Return a regex matching exactly the given words, preferring the longest."""
    words = [w for w in words if w]
    if not words:
        return "(?!)"
    return _pattern(_build(words))
