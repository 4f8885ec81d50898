"""The article as JATS Publishing 1.3 XML: what a journal's production system reads instead of a PDF.

The front matter (journal, title, authors with their ORCID iDs and CRediT roles, affiliations,
the corresponding author, abstract, key words, funding) is built from the case's fields. The
body is the composed letter's own sections, in its order, converted by pandoc's JATS writer in
one run (each part behind a sentinel level-1 heading, as `caseletter.letter.render` does with
paragraphs) and then adjusted with lxml: a citation becomes superscript ``<xref>``s to the
reference list, a figure a ``<fig>`` pointing at the file the submission ships, a table a
numbered ``<table-wrap>``, the learning points a ``<boxed-text>``. The references are built here
from the CSL-JSON items, numbered by first citation as the letter numbers them: pandoc's own
element-citation writer names CSL types ("article-journal") where JATS names publication types
("journal"), and leaves out the numbers.

The author's text reaches the XML only as element text through lxml or through pandoc's writer,
both of which escape it; characters XML 1.0 cannot hold are dropped first.
"""

from __future__ import annotations

import re
import secrets
import tempfile
from pathlib import Path

from lxml import etree

from caseletter.case.contributors import CREDIT_VOCABULARY, credit_term_identifier
from caseletter.case.model import Author
from caseletter.case.structures import CASE_REPORT, IMAGES, LETTER, structure_of
from caseletter.errors import UnknownStyle
from caseletter.journals import Journal, list_journals
from caseletter.letter.compose import ABSTRACT_PARTS, prepare_text
from caseletter.letter.notebook import Letter
from caseletter.letter.render import ATTRIBUTE_FILTER, READER
from caseletter.pandoc import run_pandoc
from caseletter.styles import style_info
from caseletter.submission.jats_references import reference_list
from caseletter.submission.jats_text import XLINK, add_text, sub, xml_safe

DOCTYPE = (
    '<!DOCTYPE article PUBLIC "-//NLM//DTD JATS (Z39.96) Journal Publishing DTD v1.3 20210610//EN" '
    '"JATS-journalpublishing1-3.dtd">'
)
MATHML = "http://www.w3.org/1998/Math/MathML"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: JATS's article-type for each structure (an images article is a case report told by its figures).
ARTICLE_TYPES = {LETTER: "letter", CASE_REPORT: "case-report", IMAGES: "case-report"}
#: The subject heading of the kit's own article type names; a journal's own names print as they are.
CATEGORIES = {"letter": "Letter", "case_report": "Case Report", "images": "Images in Clinical Medicine"}
#: Parts of the letter that JATS writes from the case's own fields instead (front and back matter).
FROM_FIELDS = ("title", "byline", "affiliations", "keywords", "declarations")
#: Parts of the letter that are not body: those, the abstract and the references' heading.
NOT_BODY = (*FROM_FIELDS, "abstract", "references")
DECLARATIONS = ("acknowledgements", "conflicts", "funding")
MEDIA_TYPES = {".tif": "tiff", ".tiff": "tiff", ".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg"}
PARTICLES = frozenset("da das de del della den der di do dos du la le van von ten ter".split())
SUFFIXES = frozenset("Jr Jr. Sr Sr. II III IV".split())
#: Elements whose content models hold no text, only elements.
ELEMENT_ONLY = (
    "body", "sec", "abstract", "ack", "fig", "caption", "graphic", "table-wrap", "table", "thead", "tbody", "tfoot",
    "tr", "colgroup", "list", "list-item", "boxed-text", "fn-group", "fn", "back",
)
TABLE_PREFIX = re.compile(r"^\s*Table\s+\d+\.\s*")
CITE_FILTER = """
local function marked(kind, inlines)
  return pandoc.Span(inlines, pandoc.Attr("", {kind .. "-TOKEN"}))
end
function Cite(el)
  local citations = {}
  for _, c in ipairs(el.citations) do
    local parts = {marked("prefix", c.prefix), marked("key", {pandoc.Str(c.id)}), marked("suffix", c.suffix)}
    citations[#citations + 1] = marked("one", parts)
  end
  return marked("cite", citations)
end
"""


def article_xml(letter: Letter, figure_files: dict[int, str] | None = None) -> bytes:
    """The letter as a JATS Publishing 1.3 article, valid against the DTD the kit ships.

    Args:
        letter: the opened letter (`caseletter.letter.notebook.open_letter`): its case, journal,
            composed document (citations still ``[@key]``) and CSL items in order of first citation.
        figure_files: figure number → the file name the submission ships it as; a number not
            given is ``Figure{n}.tif``.

    Returns:
        UTF-8 bytes with the XML declaration and the Publishing 1.3 DOCTYPE.

    Raises:
        ExportError: pandoc failed.
    """
    numbers = {str(item["id"]): n for n, item in enumerate(letter.csl_items, start=1)}
    converted = convert_parts(article_parts(letter), numbers)
    article = etree.Element("article", nsmap={"xlink": XLINK, "mml": MATHML})
    article.set("article-type", ARTICLE_TYPES[structure_of(letter.case.article_type)])
    article.set("dtd-version", "1.3")
    article.set(XML_LANG, "en")
    article.append(front(letter, converted))
    article.append(body(letter, converted, figure_files or {}))
    back_matter = back(letter, converted)
    if len(back_matter):
        article.append(back_matter)
    etree.cleanup_namespaces(article, top_nsmap={"xlink": XLINK, "mml": MATHML}, keep_ns_prefixes=["mml"])
    drop_layout_whitespace(article)
    return etree.tostring(article, xml_declaration=True, encoding="UTF-8", doctype=DOCTYPE, pretty_print=True)


# --- the Markdown, through pandoc's JATS writer ---------------------------------------------------


def article_parts(letter: Letter) -> list[tuple[str, str]]:
    """The Markdown to convert, by name: the letter's parts, each figure's bare legend, the declarations."""
    doc = letter.document
    parts = []
    for name, markdown in doc.parts:
        if name.startswith("figure:"):
            parts.append((name, doc.figures[name.removeprefix("figure:")].legend))
        elif name not in FROM_FIELDS:
            parts.append((name, markdown))
    figure_numbers = {fig.id: fig.number for fig in doc.figures.values()}
    for field in DECLARATIONS:
        text = getattr(letter.case, field)
        if text:  # prepared as the letter prepares its text: figure numbers, citations after punctuation, escapes
            parts.append((f"declaration:{field}", prepare_text(text, figure_numbers)))
    return parts


def convert_parts(parts: list[tuple[str, str]], numbers: dict[str, int]) -> dict[str, list[etree._Element]]:
    """Each part's JATS block elements, by name, from one pandoc run; citations already numbered.

    Raises:
        ExportError: pandoc failed.
    """
    token = "CASELETTERPART" + secrets.token_hex(6).upper()
    source = "\n\n".join(f"# {token}{i:04d}\n\n{xml_safe(markdown)}" for i, (_, markdown) in enumerate(parts))
    with tempfile.TemporaryDirectory(prefix="caseletter-") as tmp:
        filters = []
        for name, code in (("drop-attributes.lua", ATTRIBUTE_FILTER), ("citations.lua", CITE_FILTER)):
            (Path(tmp) / name).write_text(code.replace("TOKEN", token), encoding="utf-8")
            filters.append(f"--lua-filter={Path(tmp) / name}")
        args = ["-f", READER, *filters, "-t", "jats_publishing", "--wrap=none"]
        jats = run_pandoc(args, source + "\n", "writing the article as JATS")
    wrapper = etree.fromstring(
        b'<parts xmlns:xlink="' + XLINK.encode() + b'" xmlns:mml="' + MATHML.encode() + b'">' + jats + b"</parts>",
        etree.XMLParser(resolve_entities=False, no_network=True),
    )
    link_citations(wrapper, token, numbers)
    found = split_parts(wrapper, token, [name for name, _ in parts])
    if len(found) < len(parts) and len(parts) > 1:  # text of one part swallowed the marks after it
        found = {}
        for part in parts:
            found.update(convert_parts([part], numbers))
    return found


def split_parts(wrapper: etree._Element, token: str, names: list[str]) -> dict[str, list[etree._Element]]:
    """Cut pandoc's output back into parts at the sentinel sections; a stray top-level section stays with its part."""
    found: dict[str, list[etree._Element]] = {}
    current: list[etree._Element] = []
    for sec in list(wrapper):
        title = sec.find("title")
        mark = (title.text or "") if sec.tag == "sec" and title is not None and not len(title) else ""
        if mark.startswith(token) and mark[len(token):].isdigit():
            current = found.setdefault(names[int(mark[len(token):])], [])
            sec.remove(title)
            current.extend(sec)
        else:
            current.append(sec)
    return found


def link_citations(tree: etree._Element, token: str, numbers: dict[str, int]) -> None:
    """Turn each citation pandoc kept as a marked span into superscript links to its references.

    A citation's own words stay around its number ("see 1, p 5"); a key with no reference
    (the letter refuses one, so never in practice) stays as the key.
    """
    for cite in [e for e in tree.iter("named-content") if e.get("content-type") == f"cite-{token}"]:
        sup = etree.Element("sup")
        for one in [e for e in cite.iter("named-content") if e.get("content-type") == f"one-{token}"]:
            words = {part.get("content-type"): " ".join("".join(part.itertext()).split()) for part in one}
            prefix, key, suffix = (words.get(f"{kind}-{token}", "") for kind in ("prefix", "key", "suffix"))
            add_text(sup, ("," if len(sup) or sup.text else "") + (f"{prefix} " if prefix else ""))
            if numbers.get(key):
                sub(sup, "xref", str(numbers[key]), {"ref-type": "bibr", "rid": f"ref{numbers[key]}"})
            else:
                add_text(sup, key)
            add_text(sup, suffix if suffix.startswith((",", ";")) or not suffix else f" {suffix}")
        sup.tail = cite.tail
        cite.getparent().replace(cite, sup)


def drop_layout_whitespace(tree: etree._Element) -> None:
    """Drop pandoc's indentation between the children of element-only elements, so the output indents evenly.

    Only elements that hold no text of their own: a space between two inline elements of a
    paragraph is text.
    """
    for element in tree.iter(*ELEMENT_ONLY):
        if not (element.text or "").strip():
            element.text = None
        for child in element:
            if not (child.tail or "").strip():
                child.tail = None








def paragraphs(blocks: list[etree._Element]) -> list[etree._Element]:
    """Blocks as paragraphs, for places that hold only ``<p>`` (captions, notes): any other block as its text."""
    out = []
    for block in blocks:
        if block.tag == "p":
            out.append(block)
        elif "".join(block.itertext()).strip():
            out.append(etree.Element("p"))
            out[-1].text = " ".join("".join(block.itertext()).split())
    return out


def plain(blocks: list[etree._Element]) -> str:
    """The blocks' text alone, for elements that hold no paragraphs (a funding statement)."""
    return " ".join(" ".join("".join(block.itertext()).split()) for block in blocks).strip()


# --- front matter -----------------------------------------------------------------------------------


def front(letter: Letter, converted: dict[str, list[etree._Element]]) -> etree._Element:
    """``<front>``: the journal's metadata and the article's."""
    element = etree.Element("front")
    element.append(journal_meta(letter.journal, letter.case_path))
    element.append(article_meta(letter, converted))
    return element


def journal_meta(journal: Journal, case_path: Path) -> etree._Element:
    """The journal's id, title and ISSN, as far as the kit knows them.

    The Publishing DTD requires an ``<issn>``. The number comes from the journal's profile or
    from the CSL style of its name; when neither gives one it is left empty for the journal
    to fill in, with a comment saying so, rather than made up.
    """
    meta = etree.Element("journal-meta")
    sub(meta, "journal-id", journal.key, {"journal-id-type": "publisher-id"})
    sub(sub(meta, "journal-title-group"), "journal-title", journal.name)
    issns = journal_issns(journal, case_path)
    if not issns:
        meta.append(etree.Comment(" No ISSN is known for this journal: left empty for the journal to fill in. "))
        issns = [("", "")]
    for number, form in issns:
        sub(meta, "issn", number, {"publication-format": form} if form else None)
    return meta


def journal_issns(journal: Journal, case_path: Path) -> list[tuple[str, str]]:
    """(ISSN, publication format or "") pairs from the journal's profile, or from the CSL style it is."""
    try:
        if journal.folder is None:  # a journal named by its CSL style alone
            info = style_info(journal.key)
            return [(number, form) for number, form in ((info.issn, "print"), (info.eissn, "electronic")) if number]
        profile = journal.folder / "journal.yaml"
        return [(c.issn, "") for c in list_journals([], case_path) if c.profile == profile and c.issn][:1]
    except UnknownStyle:
        return []


def article_meta(letter: Letter, converted: dict[str, list[etree._Element]]) -> etree._Element:
    """Category, title, contributors, the corresponding author, abstract, key words and funding."""
    case = letter.case
    meta = etree.Element("article-meta")
    group = sub(sub(meta, "article-categories"), "subj-group", attrib={"subj-group-type": "heading"})
    sub(group, "subject", article_category(case.article_type))
    sub(sub(meta, "title-group"), "article-title", case.title)
    meta.append(contrib_group(case.authors))
    corresponding = [author for author in case.authors if author.corresponding]
    if corresponding:
        notes = sub(meta, "author-notes")
        for n, author in enumerate(corresponding, start=1):
            notes.append(corresp(author, n))
    if converted.get("abstract"):
        meta.append(abstract(converted["abstract"]))
    if case.keywords:
        keywords = sub(meta, "kwd-group", attrib={"kwd-group-type": "author"})
        for keyword in case.keywords:
            sub(keywords, "kwd", keyword)
    if converted.get("declaration:funding"):
        sub(sub(meta, "funding-group"), "funding-statement", plain(converted["declaration:funding"]))
    return meta


def article_category(article_type: str) -> str:
    """The subject heading an article type prints under: the kit's names spelt out, a journal's own as given."""
    if article_type in CATEGORIES:
        return CATEGORIES[article_type]
    words = re.sub(r"[_-]+", " ", article_type).split()
    return " ".join(w.capitalize() for w in words) if article_type.islower() else " ".join(words)


def contrib_group(authors: list[Author]) -> etree._Element:
    """One ``<contrib>`` per author, then one ``<aff>`` per distinct affiliation, numbered in byline order."""
    affiliations = list(dict.fromkeys(author.affiliation for author in authors if author.affiliation))
    group = etree.Element("contrib-group")
    corresponding = 0
    for author in authors:
        corresponding += author.corresponding
        aff = affiliations.index(author.affiliation) + 1 if author.affiliation else 0
        group.append(contrib(author, aff, corresponding if author.corresponding else 0))
    for n, affiliation in enumerate(affiliations, start=1):
        sub(group, "aff", affiliation, {"id": f"aff{n}"})
    return group


def contrib(author: Author, aff: int, corresp_number: int) -> etree._Element:
    """An author: ORCID iD, name, degrees, CRediT roles, links to the affiliation and the correspondence note."""
    element = etree.Element("contrib", {"contrib-type": "author"})
    if corresp_number:
        element.set("corresp", "yes")
    if author.orcid:
        sub(element, "contrib-id", f"https://orcid.org/{author.orcid}",
            {"contrib-id-type": "orcid", "authenticated": "false"})
    element.append(person_name(author.name))
    if author.degrees:
        sub(element, "degrees", author.degrees)
    for role in author.credit:
        sub(element, "role", role, {
            "vocab": "credit", "vocab-identifier": CREDIT_VOCABULARY, "vocab-term": role,
            "vocab-term-identifier": credit_term_identifier(role),
        })
    if aff:
        sub(element, "xref", attrib={"ref-type": "aff", "rid": f"aff{aff}"})
    if corresp_number:
        sub(element, "xref", attrib={"ref-type": "corresp", "rid": f"cor{corresp_number}"})
    return element


def person_name(printed: str) -> etree._Element:
    """``<name>`` from a name as printed: the last word is the surname, with the lower-case particles before it.

    "Ana Ruiz" → Ruiz, Ana; "Ludwig van Beethoven" → van Beethoven, Ludwig; a final "Jr" or
    "III" is the suffix. A name written family name first cannot be told apart and is split
    the same way; a one-word name is a surname alone.
    """
    words = printed.split()
    suffix = words.pop() if len(words) > 2 and words[-1] in SUFFIXES else ""
    start = len(words) - 1
    while start > 1 and words[start - 1] in PARTICLES:
        start -= 1
    name = etree.Element("name")
    sub(name, "surname", " ".join(words[start:]))
    if words[:start]:
        sub(name, "given-names", " ".join(words[:start]))
    if suffix:
        sub(name, "suffix", suffix)
    return name


def corresp(author: Author, n: int) -> etree._Element:
    """The correspondence note: the author's name, then address, telephone and e-mail where given."""
    note = etree.Element("corresp", {"id": f"cor{n}"})
    add_text(note, f"Corresponding author: {author.name}")
    for label, tag, value in (("", "addr-line", author.address), ("Phone: ", "phone", author.phone),
                              ("Email: ", "email", author.email)):
        if value:
            add_text(note, f"; {label}")
            sub(note, tag, value)
    return note


def abstract(blocks: list[etree._Element]) -> etree._Element:
    """``<abstract>``: its heading as title, and a ``<sec>`` per part of a structured one ("Background: ...").

    A paragraph without a part's label belongs to the part before it; one before any part
    stays a paragraph of the abstract (the DTD wants them before the parts).
    """
    element = etree.Element("abstract")
    if len(blocks) == 1 and blocks[0].tag == "sec":
        heading = blocks[0].find("title")
        sub(element, "title", plain([heading]))
        blocks = [block for block in blocks[0] if block is not heading]
    content: list[etree._Element] = []
    for p in paragraphs(blocks):
        label = p[0] if len(p) and p[0].tag == "bold" and not (p.text or "").strip() else None
        title = plain([label]).rstrip(":") if label is not None else ""
        if title in ABSTRACT_PARTS.values():
            content.append(etree.Element("sec"))
            sub(content[-1], "title", title)
            p.text = (label.tail or "").lstrip()
            p.remove(label)
        (content[-1] if content and content[-1].tag == "sec" else content).append(p)
    element.extend(sorted(content, key=lambda block: block.tag == "sec"))
    return element


# --- body ----------------------------------------------------------------------------------------


def body(letter: Letter, converted: dict[str, list[etree._Element]], files: dict[int, str]) -> etree._Element:
    """The letter's sections in its order, with its figures where it places them; tables and sections numbered."""
    element = etree.Element("body")
    doc = letter.document
    for name, _ in doc.parts:
        if name in NOT_BODY:
            continue
        if name.startswith("figure:"):
            fig = doc.figures[name.removeprefix("figure:")]
            blocks = [figure(fig.number, fig.id, fig.alt, converted.get(name, []), files)]
        elif name == "practice_points":
            blocks = [boxed_text(converted.get(name, []))]
        else:
            blocks = converted.get(name, [])
        for block in blocks:
            place(element, block)
    number_tables(element)
    for n, section in enumerate(element.iter("sec"), start=1):
        section.set("id", f"sec{n}")
    return element


def place(parent: etree._Element, block: etree._Element) -> None:
    """A section after the sections; any other block at the end of the last section (none may follow one)."""
    if block.tag != "sec":
        while len(parent) and parent[-1].tag == "sec":
            parent = parent[-1]
    parent.append(block)


def figure(number: int, fig_id: str, alt: str, legend: list[etree._Element], files: dict[int, str]) -> etree._Element:
    """``<fig>``: its label, its legend as caption, and the figure file the submission ships."""
    element = etree.Element("fig", {"id": fig_id})
    sub(element, "label", f"Figure {number}")
    caption = sub(element, "caption")
    for p in paragraphs(legend):
        caption.append(p)
    href = files.get(number, f"Figure{number}.tif")
    attrib = {f"{{{XLINK}}}href": href}
    if Path(href).suffix.lower() in MEDIA_TYPES:
        attrib.update({"mimetype": "image", "mime-subtype": MEDIA_TYPES[Path(href).suffix.lower()]})
    graphic = sub(element, "graphic", attrib=attrib)
    if alt:
        sub(graphic, "alt-text", alt)
    return element


def boxed_text(blocks: list[etree._Element]) -> etree._Element:
    """The Practice Points or Learning points: a section of their own holding one ``<boxed-text>``.

    In Publishing nothing but a section may follow a section in the body, so the box stands in
    a section of its heading rather than at the end of whichever section came before it.
    """
    box = etree.Element("boxed-text", {"content-type": "learning-points"})
    if len(blocks) == 1 and blocks[0].tag == "sec":
        section = blocks[0]
        title = section.find("title")
        sub(sub(box, "caption"), "title", plain([title]))
        for block in [block for block in section if block is not title]:
            box.append(block)
        section.append(box)
        return section
    for block in blocks:
        box.append(block)
    return box


def number_tables(tree: etree._Element) -> None:
    """Give each table an id and a label, "Table N", in order; a caption's own "Table N." moves to the label."""
    for n, wrap in enumerate(tree.iter("table-wrap"), start=1):
        wrap.set("id", f"tab{n}")
        label = etree.Element("label")
        label.text = f"Table {n}"
        wrap.insert(0, label)
        first = wrap.find("caption/p")
        if first is not None and first.text:
            first.text = TABLE_PREFIX.sub("", first.text, count=1)


# --- back matter ---------------------------------------------------------------------------------


def back(letter: Letter, converted: dict[str, list[etree._Element]]) -> etree._Element:
    """``<back>``: acknowledgements, the references, and the conflicts of interest as a note."""
    element = etree.Element("back")
    if converted.get("declaration:acknowledgements"):
        ack = sub(element, "ack")
        sub(ack, "title", "Acknowledgements")
        ack.extend(paragraphs(converted["declaration:acknowledgements"]))
    if letter.csl_items:
        element.append(reference_list(letter.csl_items, references_title(converted.get("references", []))))
    if converted.get("declaration:conflicts"):
        note = sub(sub(element, "fn-group"), "fn", attrib={"fn-type": "coi-statement"})
        note.extend(paragraphs(converted["declaration:conflicts"]))
    return element


def references_title(blocks: list[etree._Element]) -> str:
    """The reference list's heading as the letter prints it (a journal may rename it)."""
    titles = [block.find("title") for block in blocks if block.tag == "sec"]
    return plain([titles[0]]) if titles and titles[0] is not None else "References"
