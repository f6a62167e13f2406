"""A statement as a list of simple blocks, written once and rendered three ways (HTML, PDF, Word),
so the three outputs say exactly the same thing."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2


@dataclass(frozen=True)
class Para:
    text: str
    note: bool = False          # smaller, for how a figure was made or why it is not shown
    by_la: bool = False         # the LA's own words (not the product's)


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str


@dataclass(frozen=True)
class Big:
    """A large visual for the child-friendly version: a sentence, a picture in words (dots) and
    its description (the picture's text alternative)."""
    sentence: str
    picture: str = ""
    picture_says: str = ""


@dataclass(frozen=True)
class SaidDid:
    you_said: str
    we_did: str
    by_la: bool = True          # what was heard and done, as the LA recorded it


Block = Heading | Para | Bullets | Table | Big | SaidDid


@dataclass
class Document:
    title: str
    la_name: str
    year: int
    child_friendly: bool
    synthetic: bool
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> "Document":
        self.blocks.extend(blocks)
        return self

    def text(self, own_only: bool = False) -> str:
        """Every word a reader sees, in order (for readability and disclosure tests); with
        `own_only`, only the product's own words (not the LA's text, names or recorded actions)."""
        out = [] if own_only else [self.title]
        for b in self.blocks:
            if own_only and getattr(b, "by_la", False):
                continue
            if isinstance(b, (Heading, Para)):
                out.append(b.text)
            elif isinstance(b, Bullets):
                out.extend(b.items)
            elif isinstance(b, Table):
                out.append(b.caption)
                out.append(" ".join(b.header))
                out.extend(" ".join(r) for r in b.rows)
            elif isinstance(b, Big):
                out.extend([b.sentence, b.picture_says])
            elif isinstance(b, SaidDid):
                out.extend([b.you_said, b.we_did])
        return "\n".join(t for t in out if t)
