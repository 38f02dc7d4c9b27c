"""Render the outputs an analyst opens, as the README shows them.

    python train/render_outputs.py              # writes docs/*.png
    python train/render_outputs.py --out DIR    # elsewhere

Tags the seed reports with the bundled model (``lawgov-cls tag seeds --format xlsx
--review-below 0.8``, so that some paragraphs are flagged for review),
converts results.xlsx to PDF with LibreOffice and its pages to PNG with pdftoppm (as the
workbook prints: landscape, one page wide), and screenshots report.html with headless
Chromium (the overview, and a report's paragraphs). Needs the system packages
``chromium libreoffice-calc poppler-utils`` and a CJK font (``fonts-noto-cjk``).
"""

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if path := shutil.which(name):
            return path
    sys.exit("chromium not found: apt-get install chromium")


def screenshot(html: Path, png: Path, profile: Path, width: int = 1400, height: int = 900,
               fragment: str = "") -> None:
    """A headless Chromium screenshot of ``html`` (no network, a throw-away profile).

    With a ``fragment`` the page is shown in a frame scrolled to it: headless Chromium's
    screenshot does not scroll to a fragment of the page itself."""
    if fragment:
        frame = html.with_name("frame.html")
        frame.write_text(f'<!DOCTYPE html><body style="margin:0"><iframe src="{html.name}{fragment}"'
                         ' style="border:0;width:100vw;height:100vh"></iframe>', encoding="utf-8")
        html, fragment = frame, ""
    subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--disable-component-update",
                    "--no-first-run", "--hide-scrollbars", f"--user-data-dir={profile}",
                    f"--window-size={width},{height}", f"--screenshot={png}",
                    html.resolve().as_uri() + fragment],
                   check=True, capture_output=True, timeout=120)


def workbook_pages(xlsx: Path, work: Path) -> Path:
    """results.xlsx printed to PDF by LibreOffice, as a user's File > Export as PDF does."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        sys.exit("LibreOffice not found: apt-get install libreoffice-calc")
    subprocess.run([soffice, f"-env:UserInstallation={(work / 'lo').resolve().as_uri()}",
                    "--headless", "--convert-to", "pdf", "--outdir", str(work), str(xlsx)],
                   check=True, capture_output=True, timeout=300)
    return work / (xlsx.stem + ".pdf")


def pdf_page(pdf: Path, page: int, png: Path, dpi: int = 90, height: float = 1.0) -> None:
    """One page as PNG, its top ``height`` (a share of the A4 landscape page) only."""
    crop = ["-x", "0", "-y", "0", "-W", str(round(11.69 * dpi)), "-H", str(round(8.27 * dpi * height))]
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page),
                    *crop, "-singlefile", str(pdf), str(png.with_suffix(""))],
                   check=True, timeout=120)


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page (pdftotext), to find where each sheet starts."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True, timeout=120).stdout
    return text.split("\f")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        out = work / "out"
        # --review-below 0.8: the seeds are tagged confidently, and the images should show
        # what a paragraph flagged for review looks like.
        subprocess.run([sys.executable, "-m", "lawgov_cls", "tag", str(ROOT / "seeds"), "--out",
                        str(out), "--format", "xlsx", "--review-below", "0.8", "--quiet"],
                       check=True)
        pdf = workbook_pages(out / "results.xlsx", work)
        pages = pdf_pages(pdf)
        # Each sheet prints its name in the page header ("lawgov_cls — paragraphs").
        first = {}
        for number, text in enumerate(pages, 1):
            for sheet in ("coverage_by_label", "coverage_batch", "coverage", "paragraphs"):
                if f"lawgov_cls — {sheet}" in text:
                    first.setdefault(sheet, number)
                    break
        print(f"workbook: {len(pages) - 1} printed pages; first page of each sheet: {first}")
        pdf_page(pdf, first.get("coverage", 1), args.out / "workbook-coverage.png", dpi=130,
                 height=0.3)
        pdf_page(pdf, first.get("paragraphs", 1), args.out / "workbook-paragraphs.png", dpi=110,
                 height=0.6)
        html = out / "report.html"
        screenshot(html, args.out / "report-overview.png", work / "chrome", height=780)
        # A report's paragraphs, from a little above the first one flagged for review.
        flagged = re.search(r'id="(r\d+)-p(\d+)" class="p [^"]* rv', html.read_text("utf-8"))
        fragment = f"#{flagged[1]}-p{max(0, int(flagged[2]) - 3)}" if flagged else "#r1"
        screenshot(html, args.out / "report-paragraphs.png", work / "chrome", width=1100,
                   height=780, fragment=fragment)
    for png in sorted(args.out.glob("*.png")):
        print(f"wrote {png.relative_to(ROOT) if png.is_relative_to(ROOT) else png}")


if __name__ == "__main__":
    main()
