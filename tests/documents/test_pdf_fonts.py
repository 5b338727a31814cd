"""The PDFs' fonts come with the install: a Chinese name prints on a machine without any system font."""

import io
import os
import re
import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader

from documents.pdf import (
    SYSTEM_FONTCONFIG,
    fontconfig_text,
    fontconfig_write,
    fonts_configure,
    packaged_font_dirs,
)

ROOT = Path(__file__).resolve().parents[2]

# Rendered in a fresh process: fontconfig reads FONTCONFIG_FILE once, when WeasyPrint first builds its font map.
RENDER_WITH_PACKAGED_FONTS_ONLY = """
import os, sys
from documents.pdf import fontconfig_write
os.environ["FONTCONFIG_FILE"] = str(fontconfig_write(include_system=False))
from documents.pdf import html_to_pdf
html = '<p style="font-family: \\'DejaVu Serif\\', \\'Noto Sans CJK SC\\', serif; font-weight: 700">李娜 Li Na</p>'
sys.stdout.buffer.write(html_to_pdf(html))
"""


def _glyph_runs(content: bytes) -> list[int]:
    """The glyph ids shown on the first page (WeasyPrint writes Identity-H hex strings, 2 bytes a glyph)."""
    stream = PdfReader(io.BytesIO(content)).pages[0].get_contents().get_data().decode("latin-1")
    runs = re.findall(r"<([0-9a-fA-F]+)>", stream)
    return [int(run[i:i + 4], 16) for run in runs for i in range(0, len(run), 4)]


def _font_names(content: bytes) -> set[str]:
    fonts = PdfReader(io.BytesIO(content)).pages[0]["/Resources"]["/Font"].values()
    return {str(font.get_object()["/BaseFont"]).split("+", 1)[-1] for font in fonts}


def test_a_chinese_name_prints_with_only_the_packaged_fonts():
    result = subprocess.run([sys.executable, "-c", RENDER_WITH_PACKAGED_FONTS_ONLY], cwd=ROOT,
                            capture_output=True, timeout=120, check=True)
    content = result.stdout

    assert _font_names(content) == {"Noto-Sans-CJK-SC"}
    glyphs = _glyph_runs(content)
    assert len(glyphs) == len("李娜 Li Na")
    assert 0 not in glyphs, "a .notdef glyph: the packaged font did not cover the name"
    assert "李娜 Li Na" in PdfReader(io.BytesIO(content)).pages[0].extract_text()


def test_fontconfig_adds_the_packaged_fonts_to_the_system_configuration():
    text = fontconfig_text()

    assert f"<dir>{packaged_font_dirs()[0]}</dir>" in text
    assert (f"{SYSTEM_FONTCONFIG}</include>" in text) == SYSTEM_FONTCONFIG.exists()
    assert (packaged_font_dirs()[0] / "NotoSansCJK-Regular.ttc").is_file()


def test_fontconfig_without_the_system_has_only_the_packaged_fonts():
    text = fontconfig_text(include_system=False)

    assert "<include" not in text
    assert re.findall(r"<dir>(.*?)</dir>", text) == [str(folder) for folder in packaged_font_dirs()]


def test_fonts_configure_points_fontconfig_at_the_generated_file(monkeypatch):
    monkeypatch.delenv("FONTCONFIG_FILE", raising=False)

    fonts_configure()

    assert Path(os.environ["FONTCONFIG_FILE"]) == fontconfig_write()
    assert Path(os.environ["FONTCONFIG_FILE"]).read_text(encoding="utf-8") == fontconfig_text()


def test_fonts_configure_keeps_the_operators_own_file(monkeypatch, tmp_path):
    own = tmp_path / "fonts.conf"
    monkeypatch.setenv("FONTCONFIG_FILE", str(own))

    fonts_configure()

    assert os.environ["FONTCONFIG_FILE"] == str(own)
