"""RFC 8653 Section 5's advice to operators: vary which prefixes carry which type over time.

The host learns each prefix's type from the network, and so may anyone watching the exchange:
if an operator always gives each type its own block of prefixes, the prefix a packet comes from
tells its type (an application's needs, its habits) to an observer, encrypted or not. The RFC
advises operators to vary the mapping. The network setting `prefix_types` shows three ways:

- `mixed` (odplay's default, as before): prefixes go out in order of request, whatever their
  type, so a prefix's value says nothing of its type by itself.
- `blocks`: each type (and untyped prefixes) has a block of its own, the fourth 16-bit group's
  top digit, so whoever learned the blocks once reads the type off every later prefix.
- `shuffled`: blocks, dealt out to the types afresh every `shuffle_every`, as the RFC advises:
  what an observer learned goes stale.

Pure functions of the setting and the time, so the mapping needs no timer and replays exactly.
"""

from __future__ import annotations

import random
from enum import StrEnum

from odplay.constants import AddressType

#: The fourth group's low 12 bits number the prefixes inside a block; its top digit the block.
BLOCK_SHIFT = 12
BLOCK_SIZE = 1 << BLOCK_SHIFT
#: Each type's block before any shuffle: Fixed 1 ... Graceful-replacement 4, untyped 5.
_KINDS: tuple[AddressType | None, ...] = (*AddressType, None)


class PrefixTypes(StrEnum):
    """How the operator maps its prefixes to types (RFC 8653 Section 5)."""

    MIXED = "mixed"
    BLOCKS = "blocks"
    SHUFFLED = "shuffled"


def epoch(mapping: PrefixTypes, every: int, now: int) -> int | None:
    """Which dealing of the blocks holds at `now`; None: no blocks (`mixed`)."""
    if mapping is PrefixTypes.MIXED:
        return None
    if mapping is PrefixTypes.BLOCKS:
        return 0
    return now // every


def blocks(epoch_: int) -> dict[AddressType | None, int]:
    """Each type's block in a dealing: 1-5, in order at 0, then a deterministic shuffle."""
    numbers = list(range(1, len(_KINDS) + 1))
    if epoch_:
        random.Random(epoch_ * 7919 + 8653).shuffle(numbers)
    return dict(zip(_KINDS, numbers, strict=True))


def serial_in_block(block: int, used: set[int]) -> int | None:
    """The lowest free serial of a block (its prefixes' fourth group); None: the block is full."""
    base = block << BLOCK_SHIFT
    for n in range(1, BLOCK_SIZE):
        if base | n not in used:
            return base | n
    return None
