"""The Chinese catalogue is complete and its compiled .mo matches the .po."""
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parents[1] / "repository" / "translations"


def test_every_message_has_a_chinese_translation():
    with open(TRANSLATIONS / "messages.pot", "rb") as handle:
        template = read_po(handle)
    with open(TRANSLATIONS / "zh" / "LC_MESSAGES" / "messages.po", "rb") as handle:
        catalog = read_po(handle)
    missing = [m.id for m in template if m.id and not (catalog.get(m.id) and catalog.get(m.id).string)]
    assert missing == []


def test_compiled_catalogue_is_up_to_date():
    with open(TRANSLATIONS / "zh" / "LC_MESSAGES" / "messages.po", "rb") as handle:
        source = {m.id if isinstance(m.id, str) else m.id[0]: tuple(m.string) if isinstance(m.string, (list, tuple))
                  else m.string for m in read_po(handle) if m.id}
    with open(TRANSLATIONS / "zh" / "LC_MESSAGES" / "messages.mo", "rb") as handle:
        compiled = {m.id if isinstance(m.id, str) else m.id[0]: tuple(m.string) if isinstance(m.string, (list, tuple))
                    else m.string for m in read_mo(handle) if m.id}
    assert compiled == source, "run: pybabel compile -d repository/translations"
