"""A tagged PDF with fpdf2: content wrapped in marked-content sequences tied to a structure tree
(Document > H1, P, L > LI > LBody, Table > TR > TH/TD, Figure ...), so a screen reader can move
through a PDF by heading, read lists as lists and tables as tables, and skip page decorations.

fpdf2 (2.8) writes a structure tree only for images with alt text and links, each a direct child
of Document, and has no public API for the rest. `TaggedPdf` keeps fpdf2's tree builder and
output (the catalog's /StructTreeRoot, /MarkInfo, the pages' /StructParents) and adds what is
missing: nested elements, one marked-content id (MCID) per sequence and page, sequences closed and
reopened across a page break, and artifacts. It relies on these fpdf2 internals (hence fpdf2 is held
to 2.8.x in pyproject.toml), checked by the tests that read the produced PDFs: `struct_builder`,
`_out`, `_marked_sequence` (used by `image`), `_add_marked_content` (used by `link`, refused here),
`add_page`, and `Table._render_table_row` / `_render_table_cell`.

Usage: `with pdf.tag("L"):` for an element that only holds other elements; `with pdf.marked("P"):`
around the drawing of an element's own content (not nested in another `marked`); `with
pdf.artifact():` around what is only decoration (page headers, footers, repeated table headings).
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from fpdf import FPDF
from fpdf.output import PDFPage
from fpdf.structure_tree import StructElem, StructureTreeBuilder
from fpdf.table import Table


class _Elem(StructElem):
    """A structure element that may hold other elements or marked content on several pages."""

    def __init__(self, role: str, parent: StructElem, page: int, alt: str | None, scope: str | None,
                 title: str | None = None):
        super().__init__(struct_type=f"/{role}", parent=parent, kids=[], page_number=page, title=title, alt=alt)
        self._role = role
        self._has_content = False
        # A table heading cell says which cells it heads (PDF 1.7, 14.8.5.7), as <th scope> does in HTML.
        self.a = f"<</O /Table /Scope /{scope}>>" if scope else None


class _MarkedContentRef:
    """A marked-content reference (/MCR): an MCID on a page other than its element's /Pg."""

    def __init__(self, page: PDFPage, mcid: int):
        self.page, self.mcid = page, mcid

    def serialize(self, **_: Any) -> str:
        return f"<</Type /MCR /Pg {self.page.ref} /MCID {self.mcid}>>"


class _Tree(StructureTreeBuilder):
    def add_mcid(self, elem: _Elem, page_number: int) -> tuple[int, int]:
        """The next MCID on the page for `elem`, and the page's key in the parent tree. The parent
        tree's entry for a page is an array indexed by MCID, so appending keeps index == MCID."""
        spid = self.spid_per_page_number.setdefault(page_number, len(self.spid_per_page_number))
        owners = self.struct_tree_root.parent_tree.nums[spid]
        owners.append(elem)
        return len(owners) - 1, spid

    def __iter__(self) -> Iterator[Any]:
        # fpdf2 writes only Document's children; every nested element must be written too.
        yield self.struct_tree_root
        yield self.doc_struct_elem
        yield self.struct_tree_root.parent_tree
        yield from _descendants(self.doc_struct_elem)


def _descendants(elem: StructElem) -> Iterator[StructElem]:
    for kid in elem.k:
        if isinstance(kid, StructElem):
            yield kid
            yield from _descendants(kid)


class TaggedPdf(FPDF):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.struct_builder = _Tree()
        self._open_elems: list[StructElem] = [self.struct_builder.doc_struct_elem]
        self._sequence: _Elem | str | None = None   # the open marked element, or an artifact's opening operator

    # -- the public context managers --------------------------------------------------------------

    @contextmanager
    def tag(self, role: str, alt: str | None = None) -> Iterator[_Elem]:
        """An element that holds other elements (L, LI, Table, TR, ...)."""
        elem = self._new_elem(role, alt)
        self._open_elems.append(elem)
        yield elem
        self._open_elems.pop()

    @contextmanager
    def marked(self, role: str, alt: str | None = None, scope: str | None = None,
               title: str | None = None) -> Iterator[_Elem]:
        """An element whose content is what is drawn inside the block (H1, P, LBody, TD, Figure, ...)."""
        if self._sequence is not None:
            raise ValueError(f"marked content cannot nest: /{role} inside an open sequence")
        elem = self._new_elem(role, alt, scope, title)
        self._begin(elem)
        yield elem
        self._end()

    @contextmanager
    def artifact(self, kind: str | None = None) -> Iterator[None]:
        """Decoration a screen reader should skip; `kind` Header or Footer for page furniture."""
        if self._sequence is not None:
            raise ValueError("an artifact cannot nest inside an open sequence")
        self._begin(f"/Artifact <</Type /Pagination /Subtype /{kind}>> BDC" if kind else "/Artifact BMC")
        yield
        self._end()

    def current_role(self) -> str | None:
        top = self._open_elems[-1]
        return top._role if isinstance(top, _Elem) else None

    # -- fpdf2 hooks ------------------------------------------------------------------------------

    @contextmanager
    def _marked_sequence(self, title: str | None = None, alt_text: str | None = None,
                         **_: Any) -> Iterator[_Elem]:
        # image(alt_text=...) calls this: its figure goes in the tree where it is drawn, not at the top.
        with self.marked("Figure", alt=alt_text, title=title) as elem:
            yield elem

    def _add_marked_content(self, **kwargs: Any) -> Any:
        # Only link(alt_text=...) comes here: fpdf2 would add its element to the page's parent-tree
        # entry, whose index must be the MCID, and outside the element being drawn.
        raise NotImplementedError("TaggedPdf does not tag links with alt text")

    def add_page(self, *args: Any, **kwargs: Any) -> None:
        # A sequence lives in one page's content stream: close it before the footer, reopen it on the
        # new page after the header, so a paragraph or table cell running over a page stays one element.
        running = self._sequence
        if running is not None:
            self._end()
        super().add_page(*args, **kwargs)
        if running is not None:
            self._begin(running)

    @contextmanager
    def table(self, *args: Any, **kwargs: Any) -> Iterator[Table]:
        table = _TaggedTable(self, *args, **kwargs)
        yield table
        table.render()

    # -- inside -----------------------------------------------------------------------------------

    def _new_elem(self, role: str, alt: str | None = None, scope: str | None = None,
                  title: str | None = None) -> _Elem:
        parent = self._open_elems[-1]
        elem = _Elem(role, parent, self.page, alt, scope, title)
        parent.k.append(elem)
        return elem

    def _begin(self, what: _Elem | str) -> None:
        self._sequence = what
        if isinstance(what, str):
            self._out(what)
            return
        mcid, spid = self.struct_builder.add_mcid(what, self.page)
        self.pages[self.page].struct_parents = spid
        page = self.pages[self.page]
        if not what._has_content or what.page_number() == self.page:
            what.k.append(mcid)
        else:
            what.k.append(_MarkedContentRef(page, mcid))
        self._first_content(what, page)
        self._out(f"/{what._role} <</MCID {mcid}>> BDC")

    def _end(self) -> None:
        self._sequence = None
        self._out("EMC")

    def _first_content(self, elem: StructElem, page: PDFPage) -> None:
        """An element's /Pg is the page its content starts on, for it and any parent still empty."""
        while isinstance(elem, _Elem) and not elem._has_content:
            elem._has_content = True
            elem._page_number = self.page
            elem.pg = page
            elem = elem.p


class _TaggedTable(Table):
    """fpdf2's table, drawn exactly as before, with Table > TR > TH/TD; heading rows repeated at the
    top of a new page are artifacts (the reader has already heard them)."""

    def render(self) -> None:
        self._drawn_rows: set[int] = set()
        pdf = self._fpdf
        if pdf.current_role() == "Table":       # opened by the caller, to put its caption inside
            super().render()
            return
        with pdf.tag("Table"):
            super().render()

    def _render_table_row(self, i: int, row_layout_info: Any, cell_x_positions: Any, **kwargs: Any) -> None:
        pdf = self._fpdf
        if i in self._drawn_rows:
            with pdf.artifact():
                super()._render_table_row(i, row_layout_info, cell_x_positions, **kwargs)
            return
        self._drawn_rows.add(i)
        with pdf.tag("TR"):
            super()._render_table_row(i, row_layout_info, cell_x_positions, **kwargs)

    def _render_table_cell(self, i: int, j: int, cell: Any, row_height: float, cell_height_info: Any = None,
                           cell_x_positions: Any = None, **kwargs: Any) -> Any:
        pdf = self._fpdf
        if cell_height_info is None or pdf._sequence is not None:   # only measuring, or a repeated heading
            return super()._render_table_cell(i, j, cell, row_height, cell_height_info, cell_x_positions, **kwargs)
        heading = i < self._num_heading_rows
        with pdf.marked("TH" if heading else "TD", scope="Column" if heading else None):
            return super()._render_table_cell(i, j, cell, row_height, cell_height_info, cell_x_positions, **kwargs)
