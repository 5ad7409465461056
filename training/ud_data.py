"""Build the combined Indonesian UD treebank Stanza's prepare scripts expect.

train = CSUI (train+test) + PUD-revised + the first part of GSD dev; dev = the rest of GSD dev;
test = GSD test, untouched, for the report. The GSD train file is not available.
GSD and CSUI use incompatible XPOS tagsets and differently filled FEATS, so both are blanked: the tagger
learns UPOS only (its dev score would otherwise be dominated by the inconsistent features), and faster.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from training.common import SHARED_DATA, WORK

TREEBANK = "UD_Indonesian-News"
SHORT = "id_news"
GSD_DEV_HELD_OUT = 180
UDBASE = WORK / "ud"


def read_conllu(path: Path) -> list[str]:
    return [block.strip("\n") for block in path.read_text(encoding="utf-8").split("\n\n") if block.strip()]


def blank_tags(block: str) -> str:
    lines = []
    for line in block.split("\n"):
        cols = line.split("\t")
        if len(cols) == 10:
            cols[4] = cols[5] = "_"
            line = "\t".join(cols)
        lines.append(line)
    return "\n".join(lines)


def write(path: Path, blocks: Iterable[str]) -> int:
    items = [blank_tags(b) for b in blocks]
    path.write_text("\n\n".join(items) + "\n\n", encoding="utf-8")
    return len(items)


def build() -> Path:
    ud = SHARED_DATA / "ud"
    gsd_dev = read_conllu(ud / "gsd" / "id_gsd-ud-dev.conllu")
    train = (read_conllu(ud / "csui" / "id_csui-ud-train.conllu") + read_conllu(ud / "csui" / "id_csui-ud-test.conllu")
             + read_conllu(ud / "pud-revised" / "id_pud-ud-revised.conllu") + gsd_dev[:-GSD_DEV_HELD_OUT])
    folder = UDBASE / TREEBANK
    folder.mkdir(parents=True, exist_ok=True)
    write(folder / f"{SHORT}-ud-train.conllu", train)
    write(folder / f"{SHORT}-ud-dev.conllu", gsd_dev[-GSD_DEV_HELD_OUT:])
    write(folder / f"{SHORT}-ud-test.conllu", read_conllu(ud / "gsd" / "id_gsd-ud-test.conllu"))
    return folder


if __name__ == "__main__":
    print(build())
