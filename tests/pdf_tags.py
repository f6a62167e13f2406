"""Reading a tagged PDF back with pypdf, for the tests of the statement's and the panel report's
PDFs: the structure tree, the marked-content sequences of each page's content stream and the text
inside each one."""
from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, field

from pypdf import PdfReader
from pypdf.generic import ContentStream, DictionaryObject, IndirectObject

TEXT_SHOWING = {b"Tj", b"TJ", b"'", b'"'}


@dataclass
class Element:
    role: str                                   # "H1", "P", "TD", ...
    obj: DictionaryObject
    kids: list["Element"] = field(default_factory=list)
    mcids: list[tuple[int, int]] = field(default_factory=list)     # (page index, MCID)
    text: str = ""

    def walk(self):
        yield self
        for kid in self.kids:
            yield from kid.walk()

    def all(self, role: str) -> list["Element"]:
        return [e for e in self.walk() if e.role == role]


@dataclass
class Tagged:
    reader: PdfReader
    root: Element | None                            # the Document element, None when untagged
    sequences: list[list[tuple[str, int | None]]]   # per page, every sequence: (tag, MCID or None)
    untagged_text: list[list[str]]                  # per page, text shown outside any MCID or artifact
    artifact_text: list[str]                        # per page, the text of its artifacts
    mcid_text: dict[tuple[int, int], str]


def read(data: bytes) -> Tagged:
    reader = PdfReader(io.BytesIO(data))
    page_index = {p.indirect_reference.idnum: i for i, p in enumerate(reader.pages)}
    sequences, untagged, artifacts, texts = [], [], [], {}
    for i, page in enumerate(reader.pages):
        seqs, loose = _operators(reader, page)
        sequences.append(seqs)
        untagged.append(loose)
        page_texts, artifact = _texts(page)
        artifacts.append(artifact)
        texts.update({(i, mcid): t for mcid, t in page_texts.items()})
    catalog = reader.trailer["/Root"]
    root = None
    if "/StructTreeRoot" in catalog:
        top = catalog["/StructTreeRoot"]["/K"]
        top = top[0] if isinstance(top, list) else top
        root = _element(top.get_object(), None, page_index, texts)
    return Tagged(reader, root, sequences, untagged, artifacts, texts)


def _operators(reader: PdfReader, page) -> tuple[list[tuple[str, int | None]], list[str]]:
    """Every marked-content sequence of the page, and the operands of text shown in none with an
    MCID and in no artifact."""
    stream = ContentStream(page.get_contents(), reader)
    open_: list[tuple[str, int | None]] = []
    seqs, loose = [], []
    for operands, op in stream.operations:
        if op in (b"BDC", b"BMC"):
            tag = str(operands[0])
            mcid = operands[1].get("/MCID") if op == b"BDC" and isinstance(operands[1], dict) else None
            open_.append((tag, mcid))
            seqs.append((tag, mcid))
        elif op == b"EMC":
            open_.pop()
        elif op in TEXT_SHOWING and not any(m is not None or t == "/Artifact" for t, m in open_):
            loose.append(repr(operands))
    assert not open_, "a marked-content sequence is not closed on its page"
    return seqs, loose


def _texts(page) -> tuple[dict[int, str], str]:
    """The text inside each MCID's sequence and inside artifacts, as pypdf extracts it (its visitors
    are called in content-stream order, so text goes to the sequence open when it is shown)."""
    by_mcid: dict[int, list[str]] = {}
    artifact: list[str] = []
    open_: list[int | str | None] = []

    def before(op, operands, cm, tm):
        if op in (b"BDC", b"BMC"):
            tag = str(operands[0])
            mcid = operands[1].get("/MCID") if op == b"BDC" and isinstance(operands[1], dict) else None
            open_.append("artifact" if tag == "/Artifact" else mcid)
        elif op == b"EMC" and open_:
            open_.pop()

    def text(t, cm, tm, font, size):
        where = next((o for o in reversed(open_) if o is not None), None)
        if where == "artifact":
            artifact.append(t)
        elif where is not None:
            by_mcid.setdefault(where, []).append(t)

    page.extract_text(visitor_operand_before=before, visitor_text=text)
    return {m: "".join(parts) for m, parts in by_mcid.items()}, "".join(artifact)


def _element(obj: DictionaryObject, page: int | None, page_index: dict[int, int],
             texts: dict[tuple[int, int], str]) -> Element:
    if "/Pg" in obj:
        page = page_index[obj.raw_get("/Pg").idnum]
    e = Element(str(obj["/S"])[1:], obj)
    kids = obj.get("/K", [])
    for kid in kids if isinstance(kids, list) else [kids]:
        if isinstance(kid, int):
            e.mcids.append((page, kid))
            continue
        ref = kid
        kid = kid.get_object() if isinstance(kid, IndirectObject) else kid
        if kid.get("/Type") == "/MCR":
            e.mcids.append((page_index[kid.raw_get("/Pg").idnum], int(kid["/MCID"])))
        else:
            assert isinstance(ref, IndirectObject)
            e.kids.append(_element(kid, page, page_index, texts))
    e.text = "".join(texts.get(m, "") for m in e.mcids) + "".join(k.text for k in e.kids)
    return e


def words(text: str) -> str:
    """Text with its line breaks and spacing made single spaces (a PDF line wraps where HTML does not)."""
    return re.sub(r"\s+", " ", text).strip()


def parent_tree_problems(pdf: Tagged) -> list[str]:
    """What is wrong with the tie between each page's MCIDs and the structure elements: MCIDs on a
    page are 0, 1, 2 ... in order; each is owned by exactly one element; the page's /StructParents
    entry in the ParentTree lists, at index n, the element that owns MCID n."""
    problems = []
    owners = Counter(m for e in pdf.root.walk() for m in e.mcids)
    nums = pdf.reader.trailer["/Root"]["/StructTreeRoot"]["/ParentTree"]["/Nums"]
    parent_tree = {int(nums[k]): nums[k + 1] for k in range(0, len(nums), 2)}
    elements = {id(e.obj): e for e in pdf.root.walk()}
    on_pages = set()
    for i, (page, sequences) in enumerate(zip(pdf.reader.pages, pdf.sequences)):
        mcids = [m for _, m in sequences if m is not None]
        on_pages |= {(i, m) for m in mcids}
        if mcids != list(range(len(mcids))):
            problems.append(f"page {i + 1}: MCIDs {mcids}")
        problems += [f"page {i + 1}: MCID {m} has {owners[(i, m)]} owners" for m in mcids if owners[(i, m)] != 1]
        if not mcids:
            continue
        entry = parent_tree.get(page.get("/StructParents"), [])
        if len(entry) != len(mcids):
            problems.append(f"page {i + 1}: the parent tree lists {len(entry)} owners for {len(mcids)} MCIDs")
        problems += [f"page {i + 1}: the parent tree's owner of MCID {m} does not hold it"
                     for m, ref in enumerate(entry) if (i, m) not in elements[id(ref.get_object())].mcids]
    problems += [f"page {i + 1}: an element holds MCID {m}, which is not on the page" for i, m in set(owners) - on_pages]
    return problems
