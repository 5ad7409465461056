"""Build the combined Indonesian UD treebank Stanza's prepare scripts expect.

train = CSUI (train+test) + PUD-revised + the first part of GSD dev; dev = the rest of GSD dev;
test = GSD test, untouched, for the report. The GSD train file is not available.
GSD and CSUI use incompatible XPOS tagsets and differently filled FEATS, so both are blanked: the tagger
learns UPOS only (its dev score would otherwise be dominated by the inconsistent features), and faster.
PUD-revised writes clitics ("lain" + "nya", "apa" + "kah") as separate tokens glued by SpaceAfter=No, where
GSD and CSUI write one multi-word token ("lainnya" = "lain" + "nya"); left as is, the tokenizer learned to cut
"lainnya" into two tokens, the main token error on GSD test. They become multi-word tokens here.
PUD-revised also tags possessive "-nya" (relation nmod:poss) DET 216 times, where GSD and CSUI tag nmod:poss
PRON; the mix cost about one UPOS point on GSD test ("nya" PRON read as DET 108 times). Those become PRON.
PUD-revised has no lemmas (every lemma is "_"): the lemmatizer trains without its sentences, else it learns
"_" as the lemma of common words ("tidak", "sebagai", "itu").
`gsd_aligned` makes a copy of a training file that leans towards GSD, for the experiment of training.ud's
GSD_COPIES: the three treebanks tag some function words differently (CSUI and PUD "itu" PRON a third of the
time, GSD always DET). The shipped models train on the plain files.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

from training.common import SHARED_DATA, WORK

TREEBANK = "UD_Indonesian-News"
SHORT = "id_news"
CLITICS = frozenset({"nya", "kah", "lah", "ku", "mu", "pun"})
GSD_DEV_HELD_OUT = 180
GSD_SENT_ID = "# sent_id = dev-s"
CLOSED_UPOS = frozenset({"ADP", "SCONJ", "CCONJ", "DET", "PRON", "ADV", "PART", "AUX", "NUM"})
MIN_SEEN = 3
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


def _glued(cols: list[str]) -> bool:
    return "SpaceAfter=No" in cols[9].split("|")


def clitics_as_tokens(block: str) -> str:
    """Join a word and the clitics glued to it (SpaceAfter=No) into one multi-word token line."""
    lines = block.split("\n")
    words = [line.split("\t") for line in lines if line.split("\t")[0].isdigit()]
    if any("-" in line.split("\t")[0] for line in lines if not line.startswith("#")):
        return block  # already uses multi-word tokens
    starts: dict[int, tuple[int, str, str]] = {}
    i = 0
    while i < len(words):
        j = i
        while (j + 1 < len(words) and _glued(words[j]) and words[j][1].isalpha()
               and words[j + 1][1].lower() in CLITICS):
            j += 1
        if j > i:
            form = "".join(w[1] for w in words[i:j + 1])
            misc = "SpaceAfter=No" if _glued(words[j]) else "_"
            starts[i] = (j, form, misc)
            for w in words[i:j + 1]:
                w[9] = "|".join(m for m in w[9].split("|") if m != "SpaceAfter=No") or "_"
        i = j + 1
    if not starts:
        return block
    out = [line for line in lines if line.startswith("#")]
    for k, cols in enumerate(words):
        if k in starts:
            end, form, misc = starts[k]
            out.append("\t".join([f"{k + 1}-{end + 1}", form, *["_"] * 7, misc]))
        out.append("\t".join(cols))
    return "\n".join(out)


def possessives_as_pron(block: str) -> str:
    """UPOS PRON for a DET in relation nmod:poss, as GSD and CSUI tag possessives."""
    lines = []
    for line in block.split("\n"):
        cols = line.split("\t")
        if len(cols) == 10 and cols[3] == "DET" and cols[7] == "nmod:poss":
            cols[3] = "PRON"
            line = "\t".join(cols)
        lines.append(line)
    return "\n".join(lines)


def drop_unlemmatised(path: Path) -> int:
    """Rewrite a CoNLL-U file without the sentences that have no lemmas; how many were dropped."""
    blocks = read_conllu(path)
    kept = [b for b in blocks if any(line.split("\t")[2] != "_" for line in b.split("\n")
                                     if line.split("\t")[0].isdigit())]
    path.write_text("\n\n".join(kept) + "\n\n", encoding="utf-8")
    return len(blocks) - len(kept)


def _words(block: str) -> list[list[str]]:
    return [line.split("\t") for line in block.split("\n") if line.split("\t")[0].isdigit()]


def gsd_conventions(blocks: Iterable[str]) -> dict[str, str]:
    """Function words GSD tags one way: lowercased form -> the UPOS of at least 90 % of its GSD occurrences
    (seen at least MIN_SEEN times), for closed-class tags only, where the choice is a convention."""
    seen: dict[str, Counter[str]] = defaultdict(Counter)
    for block in blocks:
        if GSD_SENT_ID in block:
            for cols in _words(block):
                seen[cols[1].lower()][cols[3]] += 1
    conventions = {}
    for form, tags in seen.items():
        upos, n = tags.most_common(1)[0]
        if upos in CLOSED_UPOS and n >= MIN_SEEN and n >= 0.9 * tags.total():
            conventions[form] = upos
    return conventions


def retag(block: str, conventions: dict[str, str]) -> str:
    """A non-GSD sentence with its function words tagged as GSD tags them; words inside names (PROPN) stay."""
    if GSD_SENT_ID in block:
        return block
    lines = []
    for line in block.split("\n"):
        cols = line.split("\t")
        if len(cols) == 10 and cols[0].isdigit() and cols[3] != "PROPN":
            cols[3] = conventions.get(cols[1].lower(), cols[3])
            line = "\t".join(cols)
        lines.append(line)
    return "\n".join(lines)


def gsd_aligned(path: Path, copies: int) -> Path:
    """A copy of a prepared tagger or parser training file (beside it) that leans towards GSD, the treebank we
    are measured on: CSUI's and PUD's function words tagged as GSD tags them ("itu" DET, "dalam" ADP, "yang"
    PRON), and each GSD sentence `copies` times."""
    blocks = read_conllu(path)
    conventions = gsd_conventions(blocks)
    gsd = [b for b in blocks if GSD_SENT_ID in b]
    out = path.with_name(f"{path.name.removesuffix('.conllu')}.gsd{copies}.conllu")
    out.write_text("\n\n".join([retag(b, conventions) for b in blocks] + gsd * (copies - 1)) + "\n\n",
                   encoding="utf-8")
    return out


def write(path: Path, blocks: Iterable[str]) -> int:
    items = [blank_tags(b) for b in blocks]
    path.write_text("\n\n".join(items) + "\n\n", encoding="utf-8")
    return len(items)


def build() -> Path:
    ud = SHARED_DATA / "ud"
    gsd_dev = read_conllu(ud / "gsd" / "id_gsd-ud-dev.conllu")
    pud_file = ud / "pud-revised" / "id_pud-ud-revised.conllu"
    pud = [possessives_as_pron(clitics_as_tokens(b)) for b in read_conllu(pud_file)]
    train = (read_conllu(ud / "csui" / "id_csui-ud-train.conllu") + read_conllu(ud / "csui" / "id_csui-ud-test.conllu")
             + pud + gsd_dev[:-GSD_DEV_HELD_OUT])
    folder = UDBASE / TREEBANK
    folder.mkdir(parents=True, exist_ok=True)
    write(folder / f"{SHORT}-ud-train.conllu", train)
    write(folder / f"{SHORT}-ud-dev.conllu", gsd_dev[-GSD_DEV_HELD_OUT:])
    write(folder / f"{SHORT}-ud-test.conllu", read_conllu(ud / "gsd" / "id_gsd-ud-test.conllu"))
    return folder


if __name__ == "__main__":
    print(build())
