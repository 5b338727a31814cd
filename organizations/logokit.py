"""The accreditation mark of one accredited programme: SVG from a template, PNG drawn with Pillow, the usage
rules, the embeddable badge snippet, and all of them in one ZIP.

Callers check ``selectors.logo_kit_available`` first: the kit exists only while the accreditation is in force.
"""

from __future__ import annotations

import io
import textwrap
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from PIL import Image, ImageDraw, ImageFont

from organizations.models import ProgrammeApplication

NAVY = (16, 42, 87, 255)
GOLD = (196, 154, 42, 255)
WHITE = (255, 255, 255, 255)
PNG_SIZE = 1200
NAME_LINE_CHARS = 22
NAME_MAX_LINES = 3


@dataclass(frozen=True)
class Mark:
    """What the mark says: the programme, the organization, the year of accreditation and the certificate."""

    programme_name: str
    name_lines: list[str]
    organization_name: str
    year: int
    certificate_number: str
    valid_until: str
    verify_url: str
    badge_url: str

    @property
    def file_stem(self) -> str:
        return f"ipma-accredited-{self.certificate_number}".lower()


def _name_lines(name: str) -> list[str]:
    # CJK names have no spaces; textwrap still cuts them by width.
    lines = textwrap.wrap(name, NAME_LINE_CHARS, break_long_words=True) or [name]
    if len(lines) > NAME_MAX_LINES:
        lines = [*lines[: NAME_MAX_LINES - 1], textwrap.shorten(" ".join(lines[NAME_MAX_LINES - 1:]),
                                                                NAME_LINE_CHARS, placeholder="…")]
    return lines


def mark_for(application: ProgrammeApplication) -> Mark:
    number = application.certificate_number
    return Mark(
        programme_name=application.programme.name,
        name_lines=_name_lines(application.programme.name),
        organization_name=application.programme.organization.legal_name,
        year=application.valid_from.year,
        certificate_number=number,
        valid_until=application.valid_until.isoformat(),
        verify_url=settings.SITE_URL + f"/verify/{number}/",
        badge_url=settings.SITE_URL + reverse("organizations:badge", kwargs={"number": number}),
    )


def mark_svg(mark: Mark) -> str:
    return render_to_string("organizations/logo/mark.svg", {"mark": mark})


def badge_svg(mark: Mark) -> str:
    return render_to_string("organizations/logo/badge.svg", {"mark": mark})


def badge_snippet(mark: Mark) -> str:
    """HTML an organization pastes into its site: the badge image, linking to the public verification page."""
    return render_to_string("organizations/logo/badge_snippet.html", {"mark": mark}).strip()


def usage_rules(mark: Mark) -> str:
    return render_to_string("organizations/logo/usage_rules.txt", {"mark": mark})


def _font(size: int) -> ImageFont.FreeTypeFont:
    path = Path(settings.ORGANIZATIONS_LOGO_FONT)
    if path.is_file():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


def _centered(draw: ImageDraw.ImageDraw, y: float, text: str, font, fill) -> None:
    draw.text((PNG_SIZE / 2, y), text, font=font, fill=fill, anchor="mm")


def mark_png(mark: Mark) -> bytes:
    """The same mark as the SVG, as a 1200 px square PNG with a transparent background."""
    image = Image.new("RGBA", (PNG_SIZE, PNG_SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((20, 20, PNG_SIZE - 20, PNG_SIZE - 20), fill=NAVY)
    draw.ellipse((70, 70, PNG_SIZE - 70, PNG_SIZE - 70), outline=GOLD, width=14)
    draw.ellipse((110, 110, PNG_SIZE - 110, PNG_SIZE - 110), fill=WHITE)
    _centered(draw, 260, "IPMA", _font(150), NAVY)
    _centered(draw, 380, "ACCREDITED PROGRAMME", _font(54), GOLD)
    draw.line((300, 440, PNG_SIZE - 300, 440), fill=GOLD, width=6)
    name_font = _font(64 if len(mark.name_lines) < 3 else 54)
    top = 620 - (len(mark.name_lines) - 1) * 38
    for index, line in enumerate(mark.name_lines):
        _centered(draw, top + index * 76, line, name_font, NAVY)
    draw.line((300, 800, PNG_SIZE - 300, 800), fill=GOLD, width=6)
    _centered(draw, 880, str(mark.year), _font(96), NAVY)
    _centered(draw, 980, mark.certificate_number, _font(44), NAVY)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def kit_zip(mark: Mark) -> bytes:
    """The whole kit in one download: SVG, PNG, usage rules and the badge snippet."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{mark.file_stem}.svg", mark_svg(mark))
        archive.writestr(f"{mark.file_stem}.png", mark_png(mark))
        archive.writestr("USAGE-RULES.txt", usage_rules(mark))
        archive.writestr("badge-snippet.html", badge_snippet(mark) + "\n")
    return buffer.getvalue()
