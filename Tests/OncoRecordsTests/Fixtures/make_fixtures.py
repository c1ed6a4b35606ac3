#!/usr/bin/env python3
"""Regenerates the document fixtures for OncoRecordsTests.

All patient data here is SYNTHETIC (invented for tests; no real person).
Requires: pip install reportlab pillow; DejaVu fonts (fonts-dejavu-core).
Run from this directory: python3 make_fixtures.py (PDF/DOCX bytes differ per run: embedded timestamps).
referral-letter.txt is written by hand, also synthetic.
"""
import io, zipfile
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from reportlab.lib.utils import ImageReader

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

PAGE1 = [
    "SYNTHETIC TEST DOCUMENT - NOT A REAL PATIENT",
    "Surgical Pathology Report",
    "Date of report: 14 March 2025",
    "Diagnosis: Diffuse large B-cell lymphoma, germinal center B-cell type.",
    "Immunohistochemistry: CD19 positive, CD20 positive, BCL2 positive.",
]
PAGE2 = [
    "SYNTHETIC - page 2",
    "Ann Arbor stage IIIA.",
    "No evidence of CNS involvement.",
]
SCAN = [
    "SYNTHETIC SCANNED LAB REPORT",
    "Creatinine 1.1 mg/dL",
    "Platelets 145 x10^9/L",
    "LVEF 55%",
]

def text_image(lines, width=1700, size=40):
    font = ImageFont.truetype(FONT, size)
    img = Image.new("L", (width, 80 + len(lines) * (size + 24)), 255)
    d = ImageDraw.Draw(img)
    for i, line in enumerate(lines):
        d.text((60, 40 + i * (size + 24)), line, fill=0, font=font)
    return img.convert("1")

def text_pdf(path):
    c = canvas.Canvas(path, pagesize=A4)
    for page in (PAGE1, PAGE2):
        y = 800
        for line in page:
            c.drawString(60, y, line); y -= 20
        c.showPage()
    c.save()

def mixed_pdf(path):
    """Page 1 has a text layer; page 2 is only an image (a 'scan')."""
    c = canvas.Canvas(path, pagesize=A4)
    y = 800
    for line in PAGE1:
        c.drawString(60, y, line); y -= 20
    c.showPage()
    img = text_image(SCAN)
    buf = io.BytesIO(); img.save(buf, format="PNG"); buf.seek(0)
    w = 500
    c.drawImage(ImageReader(buf), 50, 500, width=w, height=w * img.height / img.width)
    c.showPage()
    c.save()

def docx(path):
    body = "".join(
        f"<w:p><w:r><w:t>{t}</w:t></w:r></w:p>" for t in [
            "SYNTHETIC TEST LETTER - NOT A REAL PATIENT",
            "Dear colleague, thank you for seeing this 58 year old man.",
            "ECOG performance status 1. Creatinine 0.9 mg/dL &amp; bilirubin 0.6 mg/dL.",
        ])
    xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
           '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
           f'<w:body>{body}<w:p><w:r><w:t>Tab</w:t><w:tab/><w:t>separated</w:t></w:r></w:p></w:body></w:document>')
    ct = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", ct)
        z.writestr("word/document.xml", xml)

text_pdf("text-report.pdf")
mixed_pdf("mixed-scan.pdf")
text_image(SCAN).save("lab-photo.png", optimize=True)
docx("letter.docx")
# A two-page fax-style TIFF (1-bit, Group 4): tesseract reads every page.
text_image(["SYNTHETIC FAX PAGE ONE", "ECOG 1"]).save(
    "fax-2pages.tif", compression="group4",
    save_all=True, append_images=[text_image(["SYNTHETIC FAX PAGE TWO", "LDH 250 U/L"])])
with open("cp1252-letter.txt", "wb") as f:
    f.write("SYNTHETIC \u2013 not a real patient.\r\nPatient seen in clinic; caf\u00e9 au lait spots noted.\r\n".encode("cp1252"))
