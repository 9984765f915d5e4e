"""Compile and check gettext catalogues without needing GNU gettext installed.

python scripts/i18n.py compile   # locale/*/LC_MESSAGES/django.po -> .mo
python scripts/i18n.py check     # fail on untranslated, fuzzy or obsolete messages
"""

import sys
from pathlib import Path

import polib

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def catalogues():
    return sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))


def compile_all() -> int:
    for po_path in catalogues():
        po = polib.pofile(str(po_path))
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            po.save_as_mofile(str(mo_path))
    return 0


def check_all() -> int:
    problems = []
    for po_path in catalogues():
        po = polib.pofile(str(po_path))
        rel = po_path.relative_to(LOCALE_DIR.parent)
        for entry in po.untranslated_entries():
            problems.append(f"{rel}: untranslated: {entry.msgid!r}")
        for entry in po.fuzzy_entries():
            problems.append(f"{rel}: fuzzy: {entry.msgid!r}")
    if not catalogues():
        problems.append("no catalogues under locale/")
    for line in problems:
        print(line)
    print(f"{len(problems)} translation problem(s) in {len(catalogues())} catalogue(s)")
    return 1 if problems else 0


def fill_english() -> int:
    """Source strings are English, so the English catalogue maps each to itself."""
    po_path = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(po_path))
    for entry in po:
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        else:
            entry.msgstr = entry.msgid
    po.save()
    return 0


if __name__ == "__main__":
    action = sys.argv[1] if len(sys.argv) > 1 else "check"
    sys.exit({"compile": compile_all, "check": check_all, "fill-en": fill_english}[action]())
