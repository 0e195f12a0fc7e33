"""SMART-format test collections (Cranfield, MEDLINE as the University of Glasgow distributes them) -> what revindex
and revsearch read, and their judgments as qrels.

A SMART file is a list of records: `.I <number>` starts one, then fields follow as a line `.T` (title), `.A`
(authors), `.B` (bibliographic), `.W` (text), ... with the content on the lines below, up to the next marker. Line
ends are CRLF in some members, and MEDLINE pads its lines with blanks; both are read as white space.

Two traps of Cranfield, from the collection's own files (cranqrel.readme) and its provenance note:
- `cranqrel` numbers the queries 1..225 in the order of `cran.qry`, not by their `.I` numbers (.I 001, 002, 004,
  ...: the query `.I 004` is query 3 of the judgments). query_records(..., renumber=True) names the queries by
  their position, so that the published judgments apply unchanged.
- the grades are Cleverdon's codes, 1 = complete answer ... 4 = minimum interest (smaller is better), and -1 marks
  a judged non-relevant document. cranfield_gain() maps 1..4 to gains 4..1 and anything else to 0.
"""

import re
import tarfile

MARKER = re.compile(r"^\.([A-Z])(?:\s+(.*?))?\s*$")


def read_records(lines):
    """Lines of a SMART file -> [(record number as written, {field letter: text})] in file order. A field's text
    is its lines joined with single spaces; a field given twice keeps both texts, one after the other. Lines
    before the first `.I` are ignored."""
    records = []
    fields = field = None
    for line in lines:
        marker = MARKER.match(line.rstrip("\r\n"))
        if marker and marker.group(1) == "I":
            fields, field = {}, None
            records.append(((marker.group(2) or "").strip(), fields))
        elif marker and fields is not None:
            field = marker.group(1)
            fields.setdefault(field, "")
        elif fields is not None and field is not None:
            text = " ".join(line.split())
            if text:
                fields[field] = f"{fields[field]} {text}" if fields[field] else text
    return records


def number_id(number):
    """'004' -> '4': the judgments write numbers without leading zeros."""
    return str(int(number)) if number.isdigit() else number


def documents(records, problems=None):
    """SMART document records -> canonical records (docs/formats.md): id = the `.I` number, body = the `.W` text.
    Cranfield's `.W` begins with the title again, so the title is not given as a headline too (that would count
    its words twice, in our index and in FTS5's alike); a record without `.W` text keeps its title as the body,
    and one with neither (Cranfield 471 and 995) is reported as (id, reason) and left out."""
    out = []
    for number, fields in records:
        doc_id = number_id(number)
        body = fields.get("W") or fields.get("T")
        if not body:
            if problems is not None:
                problems.append((doc_id, "no text"))
            continue
        out.append({"id": doc_id, "headline": None, "body": body})
    return out


def query_records(records, renumber=False):
    """SMART query records -> [(query id, text)]. renumber: the id is the position in the file (1, 2, 3, ...),
    as Cranfield's judgments number them; otherwise the `.I` number."""
    return [(str(position) if renumber else number_id(number), fields.get("W", ""))
            for position, (number, fields) in enumerate(records, 1)]


def cranfield_gain(code):
    """Cleverdon's relevance code -> gain: 1 (complete answer) -> 4, 2 -> 3, 3 -> 2, 4 (minimum interest) -> 1;
    -1 (judged, not relevant) and anything else -> 0."""
    return 5 - code if 1 <= code <= 4 else 0


def read_member(archive, name):
    """The text of member `name` (its base name) of a tar.gz; KeyError when it has none."""
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar.getmembers():
            if member.isfile() and member.name.rsplit("/", 1)[-1] == name:
                return tar.extractfile(member).read().decode("latin-1")
    raise KeyError(f"{archive} has no member {name}")
