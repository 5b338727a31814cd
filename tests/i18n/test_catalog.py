"""The portal's Chinese catalog is complete: every message translated, none left fuzzy, the compiled catalog in step
with its source, and its plural rule the one of Django's own zh_Hans catalogs."""

import ast
import gettext
import re
from pathlib import Path

import django
from django.conf import settings

CATALOG = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
DJANGO_CATALOG = Path(django.__file__).parent / "conf" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (\".*\")$")


def entries(path: Path) -> list[dict]:
    """The entries of a .po file, each as its flags and its unquoted fields; obsolete ones (#~) left out."""
    found = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry, field = {"flags": set()}, None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            elif match := KEYWORD.match(line):
                field = match.group(1)
                entry[field] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and field:
                entry[field] += ast.literal_eval(line)
            elif line.startswith("#~"):
                entry = {}
                break
        if "msgid" in entry:
            found.append(entry)
    return found


def translations(entry: dict) -> list[str]:
    return [value for key, value in sorted(entry.items()) if key.startswith("msgstr")]


def header(path: Path) -> str:
    return next(entry for entry in entries(path) if entry["msgid"] == "")["msgstr"]


def test_every_message_is_translated_and_none_is_fuzzy():
    messages = [entry for entry in entries(CATALOG) if entry["msgid"]]

    assert [entry["msgid"] for entry in messages if "fuzzy" in entry["flags"]] == []
    assert [entry["msgid"] for entry in messages if not all(translations(entry))] == []


def test_compiled_catalog_matches_its_source():
    compiled = gettext.GNUTranslations(CATALOG.with_suffix(".mo").open("rb"))._catalog
    stale = []
    for entry in entries(CATALOG):
        if not entry["msgid"]:
            continue
        key = entry["msgid"] if "msgctxt" not in entry else f"{entry['msgctxt']}\x04{entry['msgid']}"
        expected = entry.get("msgstr")
        got = compiled.get(key) if expected is not None else compiled.get((key, 0))
        if got != (expected if expected is not None else entry["msgstr[0]"]):
            stale.append(entry["msgid"])

    assert stale == [], "run compilemessages"


def test_plural_rule_is_djangos_own_for_chinese():
    """Django keeps a catalog whose plural rule differs from its own apart, and looks a message up in one of them."""
    def rule(path: Path) -> str:
        return re.search(r"^Plural-Forms: (.*)$", header(path), re.MULTILINE).group(1).strip()

    assert rule(CATALOG) == rule(DJANGO_CATALOG) == "nplurals=1; plural=0;"
