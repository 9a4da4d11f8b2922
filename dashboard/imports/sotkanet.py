"""Importing indicators from THL's Sotkanet REST API (or the same responses
saved as files, for machines without internet).

Sotkanet's region ids are mapped to official codes through the ``/regions``
records: municipalities (KUNTA) to 3-digit codes, wellbeing counties
(HYVINVOINTIALUE) to 2-digit codes, the whole country (MAA) to 'FI'. Other
categories and unknown ids are skipped and counted. Everything is fetched and
checked before the database is touched; the load is one transaction on a new
database version, so a failure leaves the database as it was.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import requests

from ..core.config import Settings
from ..core.i18n import lazy_t, render, t, tn
from .records import record_load

LICENCE = "CC BY 4.0"
ATTRIBUTION = "THL, Sotkanet"
CATEGORY_LEVEL = {"KUNTA": "municipality", "HYVINVOINTIALUE": "county", "MAA": "country"}
GENDERS = ("total", "male", "female")
TIMEOUT = 30


class SotkanetError(RuntimeError):
    """A clear, user-facing reason why nothing was imported: raised with a ``lazy_t(...)``
    message, ``message(lang)`` gives it in the reader's language (``str()`` in Finnish)."""

    def message(self, lang: str = "fi") -> str:
        return str(render(self.args[0], lang)) if self.args else ""


def base_url() -> str:
    return Settings.from_env().sotkanet_base_url


def parse_years(text: str | None) -> list[int]:
    """'2015-2024' or '2020,2022' -> years; None -> the last ten full years."""
    if not text:
        last = dt.date.today().year - 1
        return list(range(last - 9, last + 1))
    years: list[int] = []
    try:
        for part in text.split(","):
            if "-" in part:
                start, end = (int(x) for x in part.split("-", 1))
                if end < start or end - start > 100:
                    raise ValueError
                years.extend(range(start, end + 1))
            else:
                years.append(int(part))
    except ValueError:
        raise SotkanetError(lazy_t("sotkanet.bad_years", text=text)) from None
    return sorted(set(years))


# ---- fetching --------------------------------------------------------------------


class HttpSource:
    def __init__(self, url: str | None = None):
        self.url = (url or base_url()).rstrip("/")

    def _get(self, path: str, params: list[tuple[str, str]] | None = None, indicator: int | None = None) -> bytes:
        address = f"{self.url}{path}"
        try:
            response = requests.get(address, params=params, timeout=TIMEOUT)
        except requests.RequestException as exc:
            raise SotkanetError(
                lazy_t("sotkanet.no_connection", address=address, error=exc.__class__.__name__)
            ) from exc
        if response.status_code == 404 and indicator is not None:
            raise SotkanetError(lazy_t("sotkanet.indicator_not_found", id=indicator, address=address))
        if response.status_code >= 400:
            raise SotkanetError(lazy_t("sotkanet.http_error", status=response.status_code, address=address))
        return response.content

    def indicator(self, indicator: int) -> bytes:
        return self._get(f"/indicators/{indicator}", indicator=indicator)

    def regions(self) -> bytes:
        return self._get("/regions")

    def data(self, indicator: int, years: list[int]) -> tuple[bytes, str]:
        params = (
            [("indicator", str(indicator))] + [("years", str(y)) for y in years] + [("genders", g) for g in GENDERS]
        )
        return self._get("/json", params), "json"

    @property
    def origin(self) -> str:
        return self.url


class DirectorySource:
    """Saved responses: regions.json, indicator-ID.json, data-ID.json or data-ID.csv."""

    def __init__(self, folder: Path | str):
        self.folder = Path(folder)
        if not self.folder.is_dir():
            raise SotkanetError(lazy_t("sotkanet.no_folder", folder=str(self.folder)))

    def _read(self, name: str, what: object) -> bytes:
        path = self.folder / name
        if not path.exists():
            raise SotkanetError(lazy_t("sotkanet.no_file", what=what, path=str(path)))
        return path.read_bytes()

    def indicator(self, indicator: int) -> bytes:
        return self._read(f"indicator-{indicator}.json", lazy_t("sotkanet.what.indicator", id=indicator))

    def regions(self) -> bytes:
        return self._read("regions.json", lazy_t("sotkanet.what.regions"))

    def data(self, indicator: int, years: list[int]) -> tuple[bytes, str]:
        for ext in ("json", "csv"):
            path = self.folder / f"data-{indicator}.{ext}"
            if path.exists():
                return path.read_bytes(), ext
        raise SotkanetError(lazy_t("sotkanet.no_data_file", id=indicator))

    @property
    def origin(self) -> str:
        return str(self.folder)


class UploadedSource:
    """Saved responses uploaded as files (the same names as for ``DirectorySource``)."""

    NAME = re.compile(r"(regions|indicator-[0-9]{1,9}|data-[0-9]{1,9})\.(json|csv)")

    def __init__(self, files: dict[str, bytes], origin: str = "tiedostot"):
        self.files = {name: data for name, data in files.items() if self.NAME.fullmatch(name)}
        self._origin = origin

    def indicators(self) -> list[int]:
        """The indicators whose description was uploaded (``indicator-ID.json``)."""
        found = (self.NAME.fullmatch(name) for name in self.files)
        return sorted(int(m[1].split("-")[1]) for m in found if m and m[1].startswith("indicator-"))

    def _read(self, name: str, what: object) -> bytes:
        if name not in self.files:
            raise SotkanetError(lazy_t("sotkanet.no_file", what=what, path=name))
        return self.files[name]

    def indicator(self, indicator: int) -> bytes:
        return self._read(f"indicator-{indicator}.json", lazy_t("sotkanet.what.indicator", id=indicator))

    def regions(self) -> bytes:
        return self._read("regions.json", lazy_t("sotkanet.what.regions"))

    def data(self, indicator: int, years: list[int]) -> tuple[bytes, str]:
        for ext in ("json", "csv"):
            if f"data-{indicator}.{ext}" in self.files:
                return self.files[f"data-{indicator}.{ext}"], ext
        raise SotkanetError(lazy_t("sotkanet.no_data_file", id=indicator))

    @property
    def origin(self) -> str:
        return self._origin


# ---- parsing ---------------------------------------------------------------------


def _json(data: bytes, what: object):
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SotkanetError(lazy_t("sotkanet.bad_json", what=what, error=str(exc))) from exc


def _title(value, lang: str) -> str | None:
    if isinstance(value, dict):
        return value.get(lang) or value.get("fi")
    return value if isinstance(value, str) else None


@dataclass
class RegionMap:
    codes: dict[int, str]  # Sotkanet id -> official code
    records: dict[str, dict]  # official code -> level and names
    skipped_categories: dict[str, int] = field(default_factory=dict)
    other_ids: set[int] = field(default_factory=set)  # ids of regions in other categories


def parse_regions(data: bytes) -> RegionMap:
    rows = _json(data, lazy_t("sotkanet.part.regions"))
    if not isinstance(rows, list):
        raise SotkanetError(lazy_t("sotkanet.regions_not_list"))
    codes: dict[int, str] = {}
    records: dict[str, dict] = {}
    skipped: dict[str, int] = {}
    other: set[int] = set()
    for row in rows:
        if not isinstance(row, dict) or "id" not in row or "category" not in row:
            raise SotkanetError(lazy_t("sotkanet.region_without_id"))
        level = CATEGORY_LEVEL.get(str(row["category"]).upper())
        if level is None:
            skipped[str(row["category"])] = skipped.get(str(row["category"]), 0) + 1
            other.add(int(row["id"]))
            continue
        raw = str(row.get("code", "")).strip()
        code = "FI" if level == "country" else raw.zfill(3 if level == "municipality" else 2)
        if level != "country" and not raw.isdigit():
            skipped[str(row["category"])] = skipped.get(str(row["category"]), 0) + 1
            other.add(int(row["id"]))
            continue
        codes[int(row["id"])] = code
        title = row.get("title") or {}
        records[code] = {
            "level": level,
            "name_fi": _title(title, "fi") or code,
            "name_sv": _title(title, "sv") or _title(title, "fi") or code,
            "name_en": _title(title, "en") or _title(title, "fi") or code,
        }
    return RegionMap(codes=codes, records=records, skipped_categories=skipped, other_ids=other)


def parse_indicator(data: bytes, indicator: int) -> dict:
    meta = _json(data, lazy_t("sotkanet.part.indicator", id=indicator))
    if not isinstance(meta, dict) or "title" not in meta:
        raise SotkanetError(lazy_t("sotkanet.no_title", id=indicator))
    if "id" in meta and int(meta["id"]) != indicator:
        raise SotkanetError(lazy_t("sotkanet.wrong_indicator", got=meta["id"], id=indicator))
    value_type = meta.get("primaryValueType") or {}
    unit = _title(value_type.get("title"), "fi") if isinstance(value_type, dict) else None
    unit = unit or (value_type.get("code") if isinstance(value_type, dict) else None) or ""
    organization = (
        _title((meta.get("organization") or {}).get("title"), "fi")
        if isinstance(meta.get("organization"), dict)
        else None
    )
    updated = meta.get("data-updated")
    if not updated and isinstance(meta.get("data"), dict):
        updated = meta["data"].get("updated")
    try:
        updated_date = dt.date.fromisoformat(str(updated)[:10]) if updated else None
    except ValueError:
        updated_date = None
    title = meta["title"]
    return {
        "indicator_id": f"sotkanet-{indicator}",
        "source": ATTRIBUTION + (f" ({organization})" if organization else ""),
        "name_fi": _title(title, "fi") or str(indicator),
        "name_sv": _title(title, "sv") or _title(title, "fi") or str(indicator),
        "name_en": _title(title, "en") or _title(title, "fi") or str(indicator),
        "unit": unit,
        "decimals": int(meta.get("decimals") or 0),
        "licence": LICENCE,
        "data_updated": updated_date,
        "description": f"THL Sotkanet, indikaattori {indicator}",
        "kind": "sotkanet",
        "synthetic": False,
    }


def _number(value) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)):
        return float(value)
    return float(str(value).strip().replace("\u00a0", "").replace(" ", "").replace(",", "."))


def parse_values(data: bytes, kind: str, indicator: int) -> list[dict]:
    if kind == "json":
        rows = _json(data, lazy_t("sotkanet.part.values", id=indicator))
        if not isinstance(rows, list):
            raise SotkanetError(lazy_t("sotkanet.values_not_list", id=indicator))
    else:
        text = data.decode("utf-8-sig")
        reader = csv.DictReader(io.StringIO(text), delimiter=";")
        rows = [{(k or "").strip(): v for k, v in row.items()} for row in reader]
    out = []
    for row in rows:
        try:
            out.append(
                {
                    "indicator": int(row["indicator"]),
                    "region": int(row["region"]),
                    "year": int(row["year"]),
                    "gender": str(row.get("gender") or "total"),
                    "value": _number(row.get("value")),
                    "absValue": _number(row.get("absValue")),
                }
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise SotkanetError(lazy_t("sotkanet.bad_row", row=repr(row))) from exc
    return out


# ---- the import ------------------------------------------------------------------


@dataclass
class IndicatorImport:
    meta: dict
    values: list[dict]
    skipped_unknown_region: int = 0
    skipped_category: int = 0
    skipped_other_indicator: int = 0


def fetch(source, indicators: list[int], years: list[int]) -> tuple[RegionMap, list[IndicatorImport]]:
    """Fetch and check everything; raises SotkanetError before any write."""
    regions = parse_regions(source.regions())
    out = []
    for indicator in indicators:
        meta = parse_indicator(source.indicator(indicator), indicator)
        raw, kind = source.data(indicator, years)
        result = IndicatorImport(meta=meta, values=[])
        seen = set()
        for row in parse_values(raw, kind, indicator):
            if row["indicator"] != indicator:
                result.skipped_other_indicator += 1
                continue
            if years and row["year"] not in years:
                continue
            code = regions.codes.get(row["region"])
            if code is None and row["region"] in regions.other_ids:
                result.skipped_category += 1
                continue
            if code is None:
                result.skipped_unknown_region += 1
                continue
            sex = row["gender"] if row["gender"] in GENDERS else None
            if sex is None:
                raise SotkanetError(lazy_t("sotkanet.unknown_sex", value=row["gender"]))
            key = (code, row["year"], sex)
            if key in seen:
                raise SotkanetError(lazy_t("sotkanet.duplicate", key=str(key)))
            seen.add(key)
            result.values.append(
                {
                    "indicator_id": meta["indicator_id"],
                    "region_code": code,
                    "year": row["year"],
                    "sex": sex,
                    "value": row["value"],
                    "abs_value": row["absValue"],
                    "n": None,
                }
            )
        out.append(result)
    return regions, out


def store(
    con: duckdb.DuckDBPyConnection,
    regions: RegionMap,
    imports: list[IndicatorImport],
    origin: str,
    loaded_by: str | None = None,
) -> None:
    existing = {r[0] for r in con.execute("SELECT code FROM regions").fetchall()}
    used = {v["region_code"] for item in imports for v in item.values}
    new_regions = [
        {
            "code": code,
            "level": rec["level"],
            "name_fi": rec["name_fi"],
            "name_sv": rec["name_sv"],
            "name_en": rec["name_en"],
            "parent_code": None if rec["level"] == "country" else "FI" if rec["level"] == "county" else None,
        }
        for code, rec in regions.records.items()
        if code in used and code not in existing
    ]
    if new_regions:
        con.register("incoming_regions", pd.DataFrame(new_regions))
        con.execute(
            "INSERT INTO regions SELECT code, level, name_fi, name_sv, name_en, parent_code FROM incoming_regions"
        )
        con.unregister("incoming_regions")
    for item in imports:
        ind = item.meta["indicator_id"]
        con.execute("DELETE FROM indicator_values WHERE indicator_id = $i", {"i": ind})
        con.execute("DELETE FROM indicators WHERE indicator_id = $i", {"i": ind})
        con.register("incoming_meta", pd.DataFrame([item.meta]))
        con.execute(
            "INSERT INTO indicators (indicator_id, source, name_fi, name_sv, name_en, unit, decimals, licence, "
            "data_updated, description, kind, synthetic) SELECT * FROM incoming_meta"
        )
        con.unregister("incoming_meta")
        if item.values:
            frame = pd.DataFrame(item.values)
            frame["n"] = frame["n"].astype("Int64")
            con.register("incoming_values", frame)
            con.execute(
                "INSERT INTO indicator_values (indicator_id, region_code, year, sex, value, abs_value, n) "
                "SELECT indicator_id, region_code, year, sex, value, abs_value, n FROM incoming_values"
            )
            con.unregister("incoming_values")
        skipped = item.skipped_unknown_region + item.skipped_category + item.skipped_other_indicator
        record_load(
            con,
            kind="sotkanet",
            what=f"{ind}: {item.meta['name_fi']}",
            origin=origin,
            rows_read=len(item.values) + skipped,
            rows_loaded=len(item.values),
            rows_rejected=skipped,
            licence=f"{ATTRIBUTION}, {LICENCE}",
            loaded_by=loaded_by,
        )


def summary(
    regions: RegionMap, imports: list[IndicatorImport], lang: str = "fi", loaded_key: str = "sotkanet.values_loaded"
) -> list[str]:
    """What each indicator brought; ``loaded_key`` words its count of values (a preview: not loaded yet)."""
    lines = []
    for item in imports:
        lines.append(
            t(
                "sotkanet.summary",
                lang,
                id=item.meta["indicator_id"],
                name=item.meta[f"name_{lang}"] if f"name_{lang}" in item.meta else item.meta["name_fi"],
                loaded=tn(loaded_key, len(item.values), lang),
                other=tn("sotkanet.skipped_category", item.skipped_category, lang),
                unknown=tn("sotkanet.skipped_unknown", item.skipped_unknown_region, lang),
            )
        )
    if regions.skipped_categories:
        parts = ", ".join(f"{k} {v}" for k, v in sorted(regions.skipped_categories.items()))
        lines.append(t("sotkanet.skipped_categories", lang, parts=parts))
    return lines
