import re
from pathlib import Path

from dashboard.core.i18n import STRINGS, t

ROOT = Path(__file__).resolve().parents[1]


def test_every_string_has_all_languages_and_the_same_placeholders():
    for key, texts in STRINGS.items():
        assert len(texts) == 3 and all(texts), key
        fields = [sorted(re.findall(r"{(\w+)}", text)) for text in texts]
        assert fields[0] == fields[1] == fields[2], key


def test_every_key_used_in_the_code_exists():
    used = set()
    for path in list((ROOT / "dashboard").rglob("*.py")) + list((ROOT / "queries").rglob("*.py")):
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_.]+)["']""", path.read_text(encoding="utf-8")))
    missing = sorted(k for k in used if k not in STRINGS)
    assert not missing, missing


def test_fallback_is_finnish():
    assert t("nav.reports", "de") == "Raportit"
