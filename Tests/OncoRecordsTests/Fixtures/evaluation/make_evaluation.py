#!/usr/bin/env python3
"""Renders the SYNTHETIC extraction-evaluation set (no real patient data).

For every document of cases_dev.py (-> dev/) and cases_heldout.py (-> heldout/):
  <doc>.txt            plain text (tables as space-aligned columns)
  <doc>.pdf            text PDF (reportlab; tables as real tables, read with pdftotext -layout)
  <doc>.scan.png | <doc>.scan.pdf
                       degraded scan: the PDF rendered at 200 dpi, slightly rotated,
                       blurred, speckled and JPEG-compressed; image-only PDF for some
  <doc>.expected.json  the facts the document must yield, and facts it must not

Requires: pip install reportlab pillow; poppler-utils (pdftoppm); DejaVu fonts.
Run from this directory: python3 make_evaluation.py  (deterministic apart from PDF timestamps)
"""
import io, json, os, random, shutil, subprocess, sys, tempfile

from PIL import Image, ImageFilter
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.lib.styles import ParagraphStyle

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import cases_dev, cases_heldout  # noqa: E402

FONT_DIR = "/usr/share/fonts/truetype/dejavu/"
pdfmetrics.registerFont(TTFont("DejaVu", FONT_DIR + "DejaVuSans.ttf"))
pdfmetrics.registerFont(TTFont("DejaVu-Bold", FONT_DIR + "DejaVuSans-Bold.ttf"))
BANNER = "SYNTHETIC TEST DOCUMENT - NOT A REAL PATIENT"
# Documents whose scan is an image-only PDF; the others get a PNG.
SCANNED_PDF = {"clinic-letter", "labs"}


def table_rows(lines):
    return [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in lines if line.startswith("|")]


def as_text(doc):
    out, rows = [BANNER], []
    for line in doc["lines"] + [""]:
        if line.startswith("|"):
            rows.append(table_rows([line])[0])
            continue
        if rows:
            widths = [max(len(r[i]) for r in rows) + 3 for i in range(len(rows[0]))]
            out += ["".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
            rows = []
        out.append(line)
    return "\n".join(out).rstrip() + "\n"


def as_pdf(doc, path):
    body = ParagraphStyle("body", fontName="DejaVu", fontSize=9.5, leading=13)
    head = ParagraphStyle("head", parent=body, fontName="DejaVu-Bold", fontSize=10.5)
    story, rows = [Paragraph(BANNER, head), Spacer(1, 4)], []
    escape = lambda s: s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for i, line in enumerate(doc["lines"] + [""]):
        if line.startswith("|"):
            rows.append(table_rows([line])[0])
            continue
        if rows:
            table = Table(rows, hAlign="LEFT")
            table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), "DejaVu", 9), ("FONT", (0, 0), (-1, 0), "DejaVu-Bold", 9),
                                       ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                                       ("BOTTOMPADDING", (0, 0), (-1, -1), 2), ("TOPPADDING", (0, 0), (-1, -1), 2)]))
            story += [table, Spacer(1, 6)]
            rows = []
        if line.strip() == "":
            story.append(Spacer(1, 6))
        else:
            # Preserve list indentation; headings (first lines in capitals) in bold.
            indent = len(line) - len(line.lstrip())
            style = head if i < 2 else body
            story.append(Paragraph("&nbsp;" * indent * 2 + escape(line.strip()), style))
    SimpleDocTemplate(path, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm,
                      bottomMargin=18 * mm, title="Synthetic test document", author="OncoNav fixtures").build(story)


def as_scan(pdf_path, out_path, seed):
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-r", "200", "-gray", "-png", "-singlefile", pdf_path, os.path.join(tmp, "page")], check=True)
        img = Image.open(os.path.join(tmp, "page.png")).convert("L")
    img = img.rotate(rng.uniform(-1.4, 1.4), resample=Image.BICUBIC, expand=False, fillcolor=255)
    img = img.filter(ImageFilter.GaussianBlur(0.8))
    # Speckle: dark dots and paper grain (sparse so white areas still compress).
    px = img.load()
    w, h = img.size
    for _ in range(w * h // 400):
        x, y = rng.randrange(w), rng.randrange(h)
        px[x, y] = rng.randrange(0, 160)
    # Uneven toner: lighten a band.
    band = rng.randrange(h // 4, 3 * h // 4)
    for y in range(band, min(h, band + 40)):
        for x in range(0, w, 1):
            px[x, y] = min(255, px[x, y] + 45)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=30)  # JPEG artefacts
    img = Image.open(io.BytesIO(buf.getvalue())).convert("L")
    if out_path.endswith(".pdf"):
        img.save(out_path, "PDF", resolution=200.0, quality=45)
    else:
        img = img.point(lambda v: (v // 16) * 17)  # 16 grey levels, like a cheap scanner
        img.save(out_path, "PNG", optimize=True)


def render(cases, subdir, expected_only=False):
    root = os.path.join(HERE, subdir)
    if not expected_only:
        shutil.rmtree(root, ignore_errors=True)
    for case in cases:
        folder = os.path.join(root, case["patient"])
        os.makedirs(folder, exist_ok=True)
        for n, doc in enumerate(case["documents"]):
            base = os.path.join(folder, doc["id"])
            if expected_only:
                write_expected(case, doc, base)
                continue
            with open(base + ".txt", "w", encoding="utf-8") as f:
                f.write(as_text(doc))
            as_pdf(doc, base + ".pdf")
            scan = base + (".scan.pdf" if doc["id"] in SCANNED_PDF else ".scan.png")
            as_scan(base + ".pdf", scan, seed=f"{case['patient']}/{doc['id']}")
            write_expected(case, doc, base)


def write_expected(case, doc, base):
    expected = {"synthetic": True, "patient": case["patient"], "document": doc["id"],
                "facts": doc["expected"], "absent": doc.get("absent", [])}
    with open(base + ".expected.json", "w", encoding="utf-8") as f:
        json.dump(expected, f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    # --expected-only rewrites the expectation files and leaves the renderings alone.
    only = "--expected-only" in sys.argv
    render(cases_dev.CASES, "dev", only)
    render(cases_heldout.CASES, "heldout", only)
