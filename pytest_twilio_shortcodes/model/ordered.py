"""Ordered collections that page by seeking, and the page tokens that name a position.

Every stored item has a sequence number that never changes, so walking pages while
items are added or removed never skips or repeats an item that still exists, and a page
costs what it holds, not what the collection holds.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Callable, Generic, Iterator, Optional, TypeVar

from .errors import TwilioError

T = TypeVar("T")


@dataclass(frozen=True)
class PageToken:
    after: bool  # True: items after ``seq`` ("PA"); False: items before it ("PB")
    seq: int

    def __str__(self) -> str:
        return f"{'PA' if self.after else 'PB'}{self.seq:08x}"

    @classmethod
    def parse(cls, text: str) -> PageToken:
        """Only a token in the exact form ``str`` writes: anything else is 400/21481."""
        if _TOKEN.fullmatch(text) is None:
            raise _bad_token(text)
        return cls(text[1] == "A", int(text[2:], 16))


# What ``PageToken.__str__`` writes: eight hex digits, or more without a leading zero.
_TOKEN = re.compile(r"P[AB](?:[0-9a-f]{8}|[1-9a-f][0-9a-f]{8,15})")


@dataclass(frozen=True)
class PageRequest:
    size: int
    number: int
    token: Optional[PageToken]


@dataclass
class PageResult(Generic[T]):
    items: list[T]
    previous: Optional[PageToken]
    next: Optional[PageToken]


def _bad_token(text: str) -> TwilioError:
    return TwilioError(400, 21481, f"Invalid PageToken {text!r}")


class OrderedIndex(Generic[T]):
    """Items by SID, kept in sequence order for paging."""

    def __init__(self) -> None:
        self._keys: list[int] = []  # ascending sequence numbers
        self._by_seq: dict[int, T] = {}
        self._seq_of: dict[str, int] = {}

    def add(self, seq: int, sid: str, item: T) -> None:
        if self._keys and seq < self._keys[-1]:
            self._keys.insert(bisect_left(self._keys, seq), seq)
        else:
            self._keys.append(seq)
        self._by_seq[seq] = item
        self._seq_of[sid] = seq

    def remove(self, sid: str) -> None:
        seq = self._seq_of.pop(sid)
        del self._by_seq[seq]
        del self._keys[bisect_left(self._keys, seq)]

    def get(self, sid: str) -> Optional[T]:
        seq = self._seq_of.get(sid)
        return None if seq is None else self._by_seq[seq]

    def __contains__(self, sid: object) -> bool:
        return sid in self._seq_of

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self) -> Iterator[T]:
        return (self._by_seq[seq] for seq in list(self._keys))

    def page(
        self,
        request: PageRequest,
        match: Optional[Callable[[T], bool]] = None,
        newest_first: bool = False,
    ) -> PageResult[T]:
        """The page ``request`` names: at most ``size`` matching items, with the tokens
        of the pages before and after it (``None`` where there is no such page).
        ``newest_first`` lists in descending sequence order (the Messages list)."""
        keys, size, n = self._keys, request.size, len(self._keys)
        key_at = (lambda p: keys[n - 1 - p]) if newest_first else keys.__getitem__
        token = request.token
        # ``start``: the listing position the token names ("PA": after it, "PB": before it).
        if token is None:
            start = 0
        elif newest_first:
            start = n - (bisect_left if token.after else bisect_right)(keys, token.seq)
        else:
            start = (bisect_right if token.after else bisect_left)(keys, token.seq)
        if token is not None and not token.after:
            picked = self._scan(range(start - 1, -1, -1), key_at, match, size + 1)
            more_before = len(picked) > size
            picked = picked[:size][::-1]
            more_after = start < n and bool(self._scan(range(start, n), key_at, match, 1))
        else:
            picked = self._scan(range(start, n), key_at, match, size + 1)
            more_after = len(picked) > size
            picked = picked[:size]
            more_before = start > 0 and bool(self._scan(range(start - 1, -1, -1), key_at, match, 1))
        # Boundaries of this page in listing order: "PB<first>" names what lies before it,
        # "PA<last>" what lies after it, whether or not the page itself is empty.
        if picked:
            first, last = key_at(picked[0]), key_at(picked[-1])
        else:
            past_end = (keys[0] - 1 if newest_first else keys[-1] + 1) if keys else 1
            before_start = (keys[-1] + 1 if newest_first else 0) if keys else 0
            first = key_at(start) if start < n else past_end
            last = key_at(start - 1) if start > 0 else before_start
        return PageResult(
            items=list(map(self._by_seq.__getitem__, map(key_at, picked))),
            previous=PageToken(False, first) if more_before else None,
            next=PageToken(True, last) if more_after else None,
        )

    def _scan(
        self,
        positions: range,
        key_at: Callable[[int], int],
        match: Optional[Callable[[T], bool]],
        want: int,
    ) -> list[int]:
        if match is None:
            return list(positions[:want])
        found = []
        for p in positions:
            if match(self._by_seq[key_at(p)]):
                found.append(p)
                if len(found) == want:
                    break
        return found

    def offset_page(
        self, page: int, size: int, match: Optional[Callable[[T], bool]] = None
    ) -> tuple[list[T], int]:
        """Page by number (the 2008-08-01 API): the items and the total that match.
        Unfiltered, a page costs what it holds; a filter is counted over every item."""
        if match is None:
            keys = self._keys[page * size : (page + 1) * size]
            return [self._by_seq[seq] for seq in keys], len(self._keys)
        matching = [item for item in self if match(item)]
        return matching[page * size : (page + 1) * size], len(matching)
