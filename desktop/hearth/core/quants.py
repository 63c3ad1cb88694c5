"""Names of quantised GGUF files: split-part patterns (``-00001-of-00003.gguf``).

The Discover work extends this module with quant-type parsing from file names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SPLIT_RE = re.compile(r"^(?P<stem>.+)-(?P<no>\d{5})-of-(?P<count>\d{5})\.gguf$", re.IGNORECASE)


@dataclass(frozen=True)
class SplitName:
    stem: str
    number: int  # 1-based, as in the file name
    count: int

    def part_name(self, number: int) -> str:
        return f"{self.stem}-{number:05d}-of-{self.count:05d}.gguf"


def parse_split_name(filename: str) -> SplitName | None:
    """``model-00002-of-00003.gguf`` -> SplitName('model', 2, 3); None for a single file."""
    match = _SPLIT_RE.match(filename)
    if not match:
        return None
    number, count = int(match["no"]), int(match["count"])
    if count < 1 or not 1 <= number <= count:
        return None
    return SplitName(match["stem"], number, count)
