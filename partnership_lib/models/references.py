"""The workbook's reference lists, and the in-text citations that point into them.

``data/references.yaml`` holds the workbook's three lists ("Citations", "Further
reading", "Guidance and toolkits"). :func:`references` returns them as
:class:`Reference` dataclasses, :func:`format_reference` writes one entry as a plain-text
Harvard reference, and :func:`resolve_citation` finds the entry (or entries) that an
in-text citation such as ``"Pratt et al 1998"``, ``"DETR 2000b/c"`` or
``"Asvall in Taket 1988:11"`` names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from partnership_lib.core import content

__all__ = [
    "KINDS",
    "LIST_KEYS",
    "Citation",
    "Reference",
    "ReferenceFieldError",
    "all_references",
    "format_reference",
    "list_titles",
    "parse_citation",
    "reference",
    "references",
    "resolve_citation",
]

_CONTENT = "references"

#: The three lists, in the workbook's order.
LIST_KEYS = ("citations", "further_reading", "guidance")

#: Kinds of work; each is laid out differently by :func:`format_reference`.
KINDS = ("book", "report", "chapter", "article", "paper", "web_page")

_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
# "Pratt, J." or "Fortin, J-P.": a surname, a comma, then only initials. A corporate
# author may hold a comma too ("Department of the Environment, Transport and ...").
_PERSON = re.compile(r"^(?P<surname>[^,]+),\s*(?:[A-Z]\.?(?:-[A-Z]\.?)?\s*)+$")
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
_CITATION = re.compile(
    rf"""^(?P<names>.+?)                        # who
    [\s,]*\(?\s*(?:{_MONTH}\s+)?                # "Pratt et al (1998", "DH Oct 2008"
    (?P<year>(?:19|20)\d\d)
    (?P<suffix>[a-z](?:\s*/\s*[a-z])*)?         # "2000b", "2000b/c"
    \)?\s*(?::\s*[\d\s,\-–]+)?\.?$              # ":15", ": 31", ":5-6"
    """,
    re.VERBOSE,
)


class ReferenceFieldError(ValueError):
    """A reference entry breaks a rule; ``field`` names the field at fault."""

    def __init__(self, owner: str, field: str, problem: str) -> None:
        self.owner = owner
        self.field = field
        self.problem = problem
        super().__init__(f"{owner}: field {field!r}: {problem}")


@dataclass(frozen=True, slots=True)
class Citation:
    """One in-text citation, as written: who, the year, and any a/b/c suffixes.

    ``"DETR 2000b/c"`` is ``Citation("DETR", 2000, ("b", "c"))``.
    """

    names: str
    year: int
    suffixes: tuple[str, ...] = ()

    @property
    def year_labels(self) -> tuple[str, ...]:
        """``("2000b", "2000c")``, or just ``("2000",)`` without suffixes."""
        return tuple(f"{self.year}{s}" for s in self.suffixes) or (str(self.year),)

    def __str__(self) -> str:
        return f"{self.names} {self.year}{'/'.join(self.suffixes)}"


def _surname(author: str) -> str:
    person = _PERSON.match(author)
    return person["surname"].strip() if person else author.strip()


@dataclass(frozen=True, slots=True)
class Reference:
    """One entry of the workbook's reference lists.

    Exactly one of ``title`` and ``description`` is given: a description (printed in
    square brackets) stands in for a title nobody recorded. ``added`` marks a work the
    workbook cites in its text but leaves out of its own lists.
    """

    key: str
    kind: str
    authors: tuple[str, ...]
    year: int
    title: str = ""
    description: str = ""
    year_suffix: str = ""
    et_al: bool = False
    editors: tuple[str, ...] = ()
    container: str = ""
    edition: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    place: str = ""
    publisher: str = ""
    note: str = ""
    url: str = ""
    added: bool = False
    cited_as: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        owner = self.key if isinstance(self.key, str) else repr(self.key)

        def fail(field: str, problem: str) -> None:
            raise ReferenceFieldError(owner, field, problem)

        if not isinstance(self.key, str) or not _KEY.match(self.key):
            fail("key", f"must be lower-case letters, digits and _, got {self.key!r}")
        if self.kind not in KINDS:
            fail("kind", f"must be one of {', '.join(KINDS)}, got {self.kind!r}")
        for field in ("authors", "editors", "cited_as"):
            value = getattr(self, field)
            if not isinstance(value, tuple) or not all(
                isinstance(v, str) and v.strip() for v in value
            ):
                fail(field, f"must be a tuple of non-empty strings, got {value!r}")
        if not self.authors:
            fail("authors", "needs at least one author")
        if self.et_al and len(self.authors) != 1:
            fail("et_al", "is only for an entry that names just its first author")
        if isinstance(self.year, bool) or not isinstance(self.year, int):
            fail("year", f"must be a whole number, got {self.year!r}")
        if not 1900 <= self.year <= 2100:
            fail("year", f"must be between 1900 and 2100, got {self.year}")
        if self.year_suffix and not re.fullmatch(r"[a-z]", self.year_suffix):
            fail("year_suffix", f"must be one lower-case letter, got {self.year_suffix!r}")
        if bool(self.title) == bool(self.description):
            both = "both" if self.title else "neither"
            fail("title", f"give a title or (for an untitled work) a description, got {both}")
        if self.editors and self.kind != "chapter":
            fail("editors", f"are only for a chapter in an edited book, not a {self.kind}")
        if self.kind == "chapter" and not (self.container and self.editors):
            fail("container", "a chapter needs the book (container) and its editors")
        if self.kind in ("article", "paper") and not self.container:
            fail("container", f"an {self.kind} needs the journal or proceedings it is in")
        if self.kind == "web_page" and not self.url:
            fail("url", "a web page needs its address")
        if self.url and not re.fullmatch(r"https?://\S+", self.url):
            fail("url", f"must be an http(s) address, got {self.url!r}")
        for form in self.cited_as:
            if len(parse_citation(form)) != 1:
                fail("cited_as", f"{form!r} is not one author-and-year citation")

    @property
    def year_label(self) -> str:
        """The year as the workbook prints it: ``"2000b"``."""
        return f"{self.year}{self.year_suffix}"

    @property
    def cite_names(self) -> str:
        """Who, as an in-text citation names them: ``"Pratt et al"``, ``"Audit Commission"``."""
        first = _surname(self.authors[0])
        if self.et_al or len(self.authors) > 2:
            return f"{first} et al"
        if len(self.authors) == 2:
            return f"{first} and {_surname(self.authors[1])}"
        return first

    @property
    def in_text(self) -> str:
        """The in-text citation that follows from the entry: ``"Pratt et al 1998"``."""
        return f"{self.cite_names} {self.year_label}"


# --------------------------------------------------------------------------- loading


def _content_path() -> Path:
    return content.data_dir() / f"{_CONTENT}.yaml"


def _build(list_key: str, raw: Mapping[str, Any]) -> Reference:
    fields = dict(raw)
    for name in ("authors", "editors", "cited_as"):
        if name in fields:
            fields[name] = tuple(fields[name])
    entry = f"lists/{list_key}/entries/{raw['key']}"
    try:
        return Reference(**fields)
    except ReferenceFieldError as exc:
        raise content.ContentError(
            _content_path(), exc.problem, entry=entry, field=exc.field
        ) from None


def references() -> dict[str, list[Reference]]:
    """Load the three reference lists, in the workbook's order.

    Returns
    -------
    dict[str, list[Reference]]
        Keyed ``"citations"``, ``"further_reading"``, ``"guidance"``
        (:data:`LIST_KEYS`); each list in the file's order.

    Raises
    ------
    partnership_lib.content.ContentError
        When ``data/references.yaml`` is malformed, or two entries share a key; the
        message names the file, the entry and the field.
    """
    data = content.load(_CONTENT)
    lists: dict[str, list[Reference]] = {}
    seen: dict[str, str] = {}
    for list_key in LIST_KEYS:
        built = []
        for raw in data["lists"][list_key]["entries"]:
            ref = _build(list_key, raw)
            if ref.key in seen:
                raise content.ContentError(
                    _content_path(),
                    f"duplicate reference key {ref.key!r} (first in lists/{seen[ref.key]})",
                    entry=f"lists/{list_key}/entries/{ref.key}",
                    field="key",
                )
            seen[ref.key] = list_key
            built.append(ref)
        lists[list_key] = built
    return lists


def list_titles() -> dict[str, str]:
    """The heading of each list, keyed as :func:`references` keys them."""
    data = content.load(_CONTENT)
    return {k: data["lists"][k]["title"] for k in LIST_KEYS}


def all_references() -> dict[str, Reference]:
    """Every entry of the three lists, keyed by its key."""
    return {ref.key: ref for refs in references().values() for ref in refs}


def reference(key: str) -> Reference:
    """Return one entry by key.

    Raises
    ------
    KeyError
        Naming the unknown key.
    """
    try:
        return all_references()[key]
    except KeyError:
        raise KeyError(f"no reference with key {key!r}") from None


# --------------------------------------------------------------------------- formatting


def _end(text: str) -> str:
    """Close a segment with a full stop unless it already ends a sentence."""
    text = text.strip()
    return text if text[-1:] in ".?!" else f"{text}."


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _names(names: Iterable[str], *, et_al: bool = False) -> str:
    names = [n.strip() for n in names]
    if et_al:
        return f"{names[0]} et al."
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _imprint(ref: Reference) -> str:
    """``"London: King's Fund"``, ``"London"`` or ``"Crown"``: where and by whom."""
    return ": ".join(p for p in (ref.place, ref.publisher) if p)


def format_reference(entry: Reference) -> str:
    """Write one entry as a plain-text Harvard reference.

    Examples
    --------
    ``Pratt, J., Plamping, D. and Gordon, P. (1998) Partnership: fit for purpose?
    London: King's Fund.``

    ``Douglas, R. (1998) 'A framework for healthy alliances', in Scriven, A. (ed.)
    Alliances in Health Promotion: Theory and Practice. Basingstoke: Macmillan, pp. 3–17.``
    """
    ref = entry
    head = f"{_names(ref.authors, et_al=ref.et_al)} ({ref.year_label})"
    imprint = _imprint(ref)
    pages = f"pp. {ref.pages}" if ref.pages else ""
    parts = [head]
    if ref.description:
        parts.append(_end(f"[{_capital(ref.description)}]"))
    elif ref.kind == "chapter":
        editors = _names(ref.editors)
        ed = "ed." if len(ref.editors) == 1 else "eds."
        parts.append(f"'{ref.title}', in {editors} ({ed}) {_end(ref.container)}")
    elif ref.kind in ("article", "paper"):
        where = ref.container
        if ref.volume:
            where += f", {ref.volume}" + (f"({ref.issue})" if ref.issue else "")
        if pages:
            where += f", {pages}"
            pages = ""
        parts.append(f"'{ref.title}', {_end(where)}")
    else:
        parts.append(_end(ref.title))
    if ref.edition:
        parts.append(_end(_capital(ref.edition)))
    if ref.note:
        parts.append(_end(ref.note))
    tail = ", ".join(p for p in (imprint, pages) if p)
    if tail:
        parts.append(_end(tail))
    if ref.url:
        parts.append(f"Available at: {ref.url}")
    return " ".join(parts)


# --------------------------------------------------------------------------- citations


def parse_citation(text: str) -> tuple[Citation, ...]:
    """Read the author-and-year citations in ``text``; ``()`` when it names none.

    Understands the forms the workbook uses: ``"Pratt et al 1998"``,
    ``"Pratt et al (1998)"``, ``"French & Bell 1999"``, ``"Fortin et al's 1994:15"``,
    ``"DETR2000b/c"``, ``"DoH 1997b; DoH 1998"`` (two citations), ``"After Jupp, B
    2000:15"``, ``"DH Oct 2008"`` and the secondary ``"Asvall in Taket 1988:11"`` (the
    work read is Taket's).
    """
    found = []
    for part in re.split(r";", text):
        part = part.strip().strip("*_()[] ")
        part = re.sub(r"^after\s+", "", part, flags=re.IGNORECASE)
        part = re.split(r"(?:^|\s)in\s+", part)[-1]
        m = _CITATION.match(part)
        if not m or not re.search(r"[^\W\d_]", m["names"]):
            continue
        names = re.sub(r"['’]s$", "", m["names"].strip())
        names = re.sub(r",\s*(?:[A-Z]\.?\s*)+$", "", names)  # "Jupp, B" -> "Jupp"
        suffixes = tuple(re.findall(r"[a-z]", m["suffix"] or ""))
        found.append(Citation(names.strip(), int(m["year"]), suffixes))
    return tuple(found)


def _normal(names: str) -> str:
    names = names.lower().replace("&", " and ")
    names = re.sub(r"\bet\s+al\b\.?", "et al", names)
    names = re.sub(r"[.,]", " ", names)
    names = re.sub(r"^the\s+", "", " ".join(names.split()))
    return names


def _index(refs: Iterable[Reference]) -> dict[tuple[str, str], list[Reference]]:
    index: dict[tuple[str, str], list[Reference]] = {}

    def add(names: str, label: str, ref: Reference) -> None:
        hits = index.setdefault((_normal(names), label), [])
        if ref not in hits:
            hits.append(ref)

    for ref in refs:
        add(ref.cite_names, ref.year_label, ref)
        for form in ref.cited_as:
            (cited,) = parse_citation(form)
            for label in cited.year_labels:
                add(cited.names, label, ref)
    return index


def resolve_citation(text: str) -> tuple[Reference, ...]:
    """Return the reference entries that an in-text citation names.

    Usually one; more when the text cites several works (``"DETR 2000b/c"``,
    ``"DoH 1997b; DoH 1998"``). Short names such as DETR, DoH or CLG are read through
    the file's ``abbreviations``, and an entry's ``cited_as`` forms count as its own.

    Raises
    ------
    ValueError
        When the text names no author and year, names a work no entry matches (the
        message lists that author's entries, if any), or matches more than one entry.
    """
    citations = parse_citation(text)
    if not citations:
        raise ValueError(f"{text!r} names no author and year")
    abbreviations = {k.lower(): v for k, v in content.load(_CONTENT)["abbreviations"].items()}
    index = _index(all_references().values())
    found: list[Reference] = []
    for cited in citations:
        spellings = [cited.names]
        if cited.names.lower() in abbreviations:
            spellings.append(abbreviations[cited.names.lower()])
        for label in cited.year_labels:
            hits: list[Reference] = []
            for names in spellings:
                hits += [r for r in index.get((_normal(names), label), []) if r not in hits]
            if not hits:
                normals = {_normal(n) for n in spellings}
                same = sorted(
                    {r.in_text for (n, _), rs in index.items() if n in normals for r in rs}
                )
                known = f"; entries by {cited.names}: {', '.join(same)}" if same else ""
                raise ValueError(f"no reference for {cited.names} {label} (in {text!r}){known}")
            if len(hits) > 1:
                keys = ", ".join(r.key for r in hits)
                raise ValueError(
                    f"{cited.names} {label} (in {text!r}) could be any of {keys}; "
                    "give one a year suffix or a cited_as form"
                )
            if hits[0] not in found:
                found.append(hits[0])
    return tuple(found)
