"""Every PDF the portal prints (certificates, receipts, attendance sheets) is rendered here, by WeasyPrint,
with fonts that come with the install.

A bare machine has no fonts, and the PDFs print names in any script. The ``noto-cjk-sans-otc`` package
ships Noto Sans CJK (Chinese, Japanese, Korean, and Latin too); a generated fontconfig file adds its folder
to the system's configuration, and ``FONTCONFIG_FILE`` points at it before fontconfig first loads (WeasyPrint
reads it when it builds its font map), so no apt step is needed for the fonts.
"""

import hashlib
import os
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

import noto_cjk_sans_otc

SYSTEM_FONTCONFIG = Path("/etc/fonts/fonts.conf")


def packaged_font_dirs() -> list[Path]:
    """The folders of the fonts installed as Python packages."""
    return [Path(str(noto_cjk_sans_otc.FONT_PATH)).parent]


def fontconfig_text(*, include_system: bool = True) -> str:
    """A fontconfig file: the system's configuration (when asked and present) plus the packaged fonts."""
    lines = ['<?xml version="1.0"?>', '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">', "<fontconfig>"]
    if include_system and SYSTEM_FONTCONFIG.exists():
        lines.append(f'  <include ignore_missing="yes">{escape(str(SYSTEM_FONTCONFIG))}</include>')
    lines += [f"  <dir>{escape(str(folder))}</dir>" for folder in packaged_font_dirs()]
    cache = Path(tempfile.gettempdir()) / "ipma-portal-fontconfig-cache"
    lines += [f"  <cachedir>{escape(str(cache))}</cachedir>", "</fontconfig>", ""]
    return "\n".join(lines)


def fontconfig_write(*, include_system: bool = True) -> Path:
    """Write the fontconfig file (named by its content, so processes share it and never see half a file)."""
    text = fontconfig_text(include_system=include_system)
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"ipma-portal-fonts-{digest}.conf"
    if not path.exists():
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(text, encoding="utf-8")
        partial.replace(path)
    return path


def fonts_configure() -> None:
    """Point fontconfig at the generated file, unless the operator chose a file of their own."""
    if not os.environ.get("FONTCONFIG_FILE"):
        os.environ["FONTCONFIG_FILE"] = str(fontconfig_write())


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """Render an HTML document to PDF bytes."""
    fonts_configure()
    from weasyprint import HTML  # imported on first use: slow to load, and most processes never render

    return HTML(string=html, base_url=base_url).write_pdf()
