"""The gazetteer and the entity matcher: names in both languages, case, boundaries, ambiguity."""

from __future__ import annotations

import subprocess
import sys
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from airace.errors import LexiconError
from airace.extract.entities import (
    DATA_PATH,
    Mention,
    find_entities,
    load_entities,
    load_gazetteer,
    resolve_entity,
    unknown_organisation_candidates,
)
from airace.extract.lexicon import LEXICON_DIR

LANGS = ("en", "vi")
# A neutral sentence around a name, per language: nothing in it is a name.
FRAMES = {
    "en": "According to new data, {} has 5 GPUs.",
    "vi": "Theo số liệu mới, {} có 5 GPU.",
}


def lexicon(lang: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((LEXICON_DIR / lang / "entities.yaml").read_text())
    return data


def found(text: str, lang: str) -> list[tuple[str, str]]:
    return [(m.text, m.entity_id) for m in find_entities(text, lang)]


# ---------------------------------------------------------------- the packaged data


def test_every_iso_3166_country_is_an_entity_with_its_code() -> None:
    countries = {e.id: e for e in load_entities().values() if e.kind == "country"}
    assert len(countries) == 249
    assert all(e.iso == e.id and len(e.id) == 2 for e in countries.values())
    assert {"VN", "US", "CN", "KR", "GB", "TW", "HK"} <= set(countries)


def test_regions_include_the_world_and_europe() -> None:
    regions = {e.id for e in load_entities().values() if e.kind == "region"}
    assert {"WORLD", "EU", "ASEAN", "ASIA", "MIDDLE_EAST"} <= regions


def test_the_gazetteer_covers_the_ai_industry_broadly() -> None:
    organisations = [e for e in load_entities().values() if e.kind == "organisation"]
    assert len(organisations) >= 300
    types = {e.type for e in organisations}
    assert {"lab", "bigtech", "chipmaker", "cloud", "research_firm", "government"} <= types


@pytest.mark.parametrize(
    ("entity_id", "home"),
    [
        ("Meta", "US"),
        ("Mistral AI", "FR"),
        ("TSMC", "TW"),
        ("Zhipu AI", "CN"),
        ("Google DeepMind", "GB"),
        ("G42", "AE"),
        ("Naver Cloud", "KR"),
        ("FPT", "VN"),
        ("European Commission", "EU"),
        ("Johor Bahru", "MY"),
    ],
)
def test_home_country_is_recorded(entity_id: str, home: str) -> None:
    assert load_entities()[entity_id].home == home


def test_intergovernmental_bodies_have_no_home_country() -> None:
    entities = load_entities()
    assert entities["IMF"].home is None
    assert entities["World Bank"].type == "intergovernmental"


def test_every_country_has_a_name_in_every_language() -> None:
    countries = {e.id for e in load_entities().values() if e.kind == "country"}
    for lang in LANGS:
        data = lexicon(lang)
        named = set(data["names"])
        named |= {i for spec in data["ambiguous"].values() for i in spec["ids"]}
        assert countries - named == set(), lang


@pytest.mark.parametrize("lang", LANGS)
def test_every_listed_name_is_found_in_a_neutral_sentence(lang: str) -> None:
    data = lexicon(lang)
    surfaces = [
        (surface, entity_id, section == "demonyms")
        for section in ("names", "idioms", "demonyms")
        for entity_id, names in data[section].items()
        for surface in names
    ]
    surfaces += [(n, e.id, False) for e in load_entities().values() for n in e.names]
    failures = []
    for surface, entity_id, demonym in surfaces:
        text = FRAMES[lang].format(surface)
        start = text.index(surface)
        mentions = find_entities(text, lang)
        expected = Mention(start, start + len(surface), entity_id, surface, demonym=demonym)
        if [(m.start, m.end, m.entity_id, m.demonym) for m in mentions] != [
            (expected.start, expected.end, expected.entity_id, expected.demonym)
        ]:
            failures.append((surface, entity_id, mentions))
    assert failures == []


@pytest.mark.parametrize("lang", LANGS)
def test_every_listed_name_resolves_to_its_entity(lang: str) -> None:
    data = lexicon(lang)
    wrong = [
        (surface, entity_id)
        for section in ("names", "idioms", "demonyms")
        for entity_id, names in data[section].items()
        for surface in names
        if getattr(resolve_entity(surface, lang), "id", None) != entity_id
    ]
    assert wrong == []


@pytest.mark.parametrize("lang", LANGS)
def test_every_not_entity_phrase_yields_no_mention(lang: str) -> None:
    leaks = [
        (phrase, found(FRAMES[lang].format(phrase), lang))
        for phrase in lexicon(lang)["not_entities"]
        if found(FRAMES[lang].format(phrase), lang)
    ]
    assert leaks == []


def test_names_are_written_as_ingest_normalises_text() -> None:
    from airace.ingest.clean import normalise_text

    names = [n for e in load_entities().values() for n in e.names]
    for lang in LANGS:
        data = lexicon(lang)
        names += [n for s in ("names", "idioms", "demonyms") for v in data[s].values() for n in v]
        names += [*data["ambiguous"], *data["not_entities"]]
    assert [n for n in names if normalise_text(n) != n] == []


# ---------------------------------------------------------------- idioms and demonyms


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("vi", "Đầu tư AI của xứ cờ hoa tăng mạnh.", [("xứ cờ hoa", "US")]),
        ("vi", "Xứ kim chi chỉ có 2.000 GPU.", [("Xứ kim chi", "KR")]),
        ("vi", "xứ sở mặt trời mọc chi 1.000 tỷ yen", [("xứ sở mặt trời mọc", "JP")]),
        ("vi", "Nước ta có 60 MW.", [("Nước ta", "VN")]),
        ("vi", "Lục địa già tụt lại.", [("Lục địa già", "EU")]),
        ("en", "Uncle Sam spends more.", [("Uncle Sam", "US")]),
        ("en", "investors in the Land of the Rising Sun", [("the Land of the Rising Sun", "JP")]),
    ],
)
def test_figurative_names_are_read_as_their_country(
    lang: str, text: str, expected: list[tuple[str, str]]
) -> None:
    assert found(text, lang) == expected


def test_demonym_names_the_country_and_is_marked() -> None:
    [mention] = find_entities("Chinese companies raised $15 billion.", "en")
    assert (mention.entity_id, mention.demonym) == ("CN", True)
    [mention] = find_entities("Nhiều người Mỹ dùng ChatGPT.", "vi")
    assert (mention.text, mention.entity_id, mention.demonym) == ("người Mỹ", "US", True)


def test_a_demonym_inside_a_longer_name_yields_the_name() -> None:
    assert found("the Chinese Academy of Sciences said", "en") == [
        ("Chinese Academy of Sciences", "Chinese Academy of Sciences")
    ]
    assert found("South Korean firms and South Korea", "en") == [
        ("South Korean", "KR"),
        ("South Korea", "KR"),
    ]


# ---------------------------------------------------------------- letter case


def test_lower_case_world_matches_and_so_does_its_sentence_initial_form() -> None:
    assert found("chi tiêu của thế giới. Thế giới sẽ chi", "vi") == [
        ("thế giới", "WORLD"),
        ("Thế giới", "WORLD"),
    ]


def test_short_capitalised_names_are_case_sensitive() -> None:
    assert found("Mỹ dẫn đầu; mỹ phẩm và mỹ thuật thì không", "vi") == [("Mỹ", "US")]
    assert found("the meta question; Meta spends", "en") == [("Meta", "Meta")]
    assert found("XAI methods explain models; xAI raised money", "en") == [("xAI", "xAI")]


def test_ai_is_not_an_entity_and_egypt_needs_its_capitals() -> None:
    assert found("AI cập nhật mô hình; ai cập nhật dữ liệu?", "vi") == []
    assert found("Ai Cập đầu tư vào AI", "vi") == [("Ai Cập", "EG")]


def test_names_in_capitals_match_in_headlines() -> None:
    assert found("NVIDIA VÀ TRUNG QUỐC", "vi") == [("NVIDIA", "Nvidia"), ("TRUNG QUỐC", "CN")]
    assert found("META TO SPEND MORE", "en") == [("META", "Meta")]


def test_long_names_match_in_any_case() -> None:
    assert found("Liên minh Châu Âu và liên minh châu âu", "vi") == [
        ("Liên minh Châu Âu", "EU"),
        ("liên minh châu âu", "EU"),
    ]
    assert found("Bộ Khoa học và công nghệ cho biết", "vi") == [
        ("Bộ Khoa học và công nghệ", "Vietnam Ministry of Science and Technology")
    ]


# ---------------------------------------------------------------- boundaries and spans


def test_names_never_match_inside_a_word() -> None:
    assert found("Anhui province and the Metaverse; TopMỹ", "en") == []
    assert found("tỉnh Anhui và Metaverse", "vi") == []


def test_possessives_stay_outside_the_name() -> None:
    text = "Meta's GPUs, Nvidia’s chips and OpenAI' staff"
    mentions = find_entities(text, "en")
    assert [(m.text, m.entity_id) for m in mentions] == [
        ("Meta", "Meta"),
        ("Nvidia", "Nvidia"),
        ("OpenAI", "OpenAI"),
    ]


def test_a_name_ending_in_a_period_keeps_it() -> None:
    assert found("the U.S. and U.S.-based funds", "en") == [("U.S.", "US"), ("U.S.", "US")]


def test_hyphens_join_names_without_merging_them() -> None:
    assert found("US-China rivalry and Guinea-Bissau", "en") == [
        ("US", "US"),
        ("China", "CN"),
        ("Guinea-Bissau", "GW"),
    ]


def test_spacing_and_dashes_inside_a_name_are_normalised() -> None:
    assert found("TP. HCM và TP.HCM", "vi") == [
        ("TP. HCM", "Ho Chi Minh City"),
        ("TP.HCM", "Ho Chi Minh City"),
    ]
    assert found("khu vực châu Á – Thái Bình Dương", "vi") == [
        ("khu vực châu Á – Thái Bình Dương", "APAC")
    ]


def test_the_longest_name_wins() -> None:
    assert found("Amazon Web Services and Amazon", "en") == [
        ("Amazon Web Services", "Amazon Web Services"),
        ("Amazon", "Amazon"),
    ]
    assert found("Bộ Khoa học và Công nghệ Trung Quốc công bố", "vi") == [
        ("Bộ Khoa học và Công nghệ Trung Quốc", "China Ministry of Science and Technology")
    ]
    assert found("Theo Ngân hàng Thế giới", "vi") == [("Ngân hàng Thế giới", "World Bank")]
    assert found("The World Bank and the world", "en") == [
        ("World Bank", "World Bank"),
        ("the world", "WORLD"),
    ]


def test_a_name_does_not_run_across_lines() -> None:
    assert found("Hàn\nQuốc", "vi") == []


def test_currencies_and_languages_are_not_country_mentions() -> None:
    assert found("500 triệu đô la Mỹ, 10 bảng Anh, bằng tiếng Anh", "vi") == []
    assert found("50 billion US dollars and 10 Hong Kong dollars", "en") == []


def test_mentions_slice_to_their_text_in_order_without_overlap() -> None:
    text = "Theo JLL, Hà Nội và TP.HCM có 60 MW; Jakarta (250 MW), Singapore (1.198 MW)."
    mentions = find_entities(text, "vi")
    assert [m.entity_id for m in mentions] == [
        "JLL",
        "Hanoi",
        "Ho Chi Minh City",
        "Jakarta",
        "SG",
    ]
    assert all(text[m.start : m.end] == m.text for m in mentions)
    assert all(a.end <= b.start for a, b in pairwise(mentions))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("Anh Mỹ-Trung .,\n'’ thế giới U.S NVIDIA Hàn Quốc xyz")))
def test_any_text_yields_well_formed_mentions(text: str) -> None:
    for lang in LANGS:
        mentions = find_entities(text, lang)
        assert all(text[m.start : m.end] == m.text for m in mentions)
        assert all(a.end <= b.start for a, b in pairwise(mentions))


# ---------------------------------------------------------------- ambiguous names

# Every `ambiguous:` entry of both lexicons has at least one case here (checked below).
AMBIGUOUS_CASES = [
    # Vietnamese
    ("vi", "Anh", "Xếp sau là Anh (714 đơn).", [("Anh", "GB")]),
    ("vi", "Anh", "Anh ấy cho biết như vậy.", []),
    ("vi", "Anh", "ông Tuấn Anh cho biết", []),
    ("vi", "Anh", "Theo Anh Tuấn, giá sẽ tăng.", []),
    (
        "vi",
        "Đức",
        "sau Đức, Trung Quốc và Ireland",
        [("Đức", "DE"), ("Trung Quốc", "CN"), ("Ireland", "IE")],
    ),
    ("vi", "Đức", "ông Đức cho biết", []),
    ("vi", "Đức", "Đức Phật dạy rằng", []),
    ("vi", "Mỹ", "Mỹ chi 300 tỷ USD.", [("Mỹ", "US")]),
    ("vi", "Mỹ", "ca sĩ Thị Mỹ hát", []),
    ("vi", "Mỹ", "Mỹ phẩm bán chạy.", []),
    ("vi", "Nga", "Nga và Trung Quốc", [("Nga", "RU"), ("Trung Quốc", "CN")]),
    ("vi", "Nga", "bà Nga cho biết", []),
    ("vi", "Ý", "Pháp, Đức và Ý", [("Pháp", "FR"), ("Đức", "DE"), ("Ý", "IT")]),
    ("vi", "Ý", "Ý tưởng là cách tiếp cận mới.", []),
    ("vi", "Áo", "xuất khẩu sang Áo", [("Áo", "AT")]),
    ("vi", "Áo", "Áo khoác mùa đông.", []),
    ("vi", "Nhật", "Nhật chi 65 tỷ USD", [("Nhật", "JP")]),
    ("vi", "Nhật", "anh Minh Nhật cho biết", []),
    ("vi", "Trung", "quan hệ Mỹ - Trung", [("Mỹ", "US"), ("Trung", "CN")]),
    ("vi", "Trung", "các tỉnh miền Trung", []),
    ("vi", "Hàn", "hợp tác Nhật-Hàn", [("Nhật", "JP"), ("Hàn", "KR")]),
    ("vi", "Hàn", "ông Hàn nói", []),
    ("vi", "Việt", "quan hệ Việt – Mỹ", [("Việt", "VN"), ("Mỹ", "US")]),
    ("vi", "Việt", "bạn Việt Anh học AI", []),
    ("vi", "Triều", "đàm phán Mỹ-Triều", [("Mỹ", "US"), ("Triều", "KP")]),
    ("vi", "Ấn", "căng thẳng Ấn - Trung", [("Ấn", "IN"), ("Trung", "CN")]),
    ("vi", "Ấn", "Ấn tượng mạnh.", []),
    ("vi", "Thái", "hợp tác Việt - Thái", [("Việt", "VN"), ("Thái", "TH")]),
    ("vi", "Thái", "ông Thái nói", []),
    ("vi", "Congo", "Congo có mỏ coban", [("Congo", "CD")]),
    ("vi", "Bắc Kinh", "chính sách của Bắc Kinh", [("Bắc Kinh", "Beijing")]),
    ("vi", "Beijing", "Beijing (880 MW)", [("Beijing", "Beijing")]),
    ("vi", "Washington", "Washington siết xuất khẩu chip", [("Washington", "US")]),
    ("vi", "Washington", "tác giả Washington Irving", []),
    ("vi", "Đại lục", "các doanh nghiệp Đại lục", [("Đại lục", "CN")]),
    ("vi", "Đại lục", "Đại lục này rộng lớn.", []),
    ("vi", "Brussels", "Brussels áp quy định AI", [("Brussels", "EU")]),
    ("vi", "Georgia", "Georgia và Armenia", [("Georgia", "GE"), ("Armenia", "AM")]),
    ("vi", "Georgia", "trung tâm dữ liệu ở bang Georgia", []),
    ("vi", "BIS", "BIS siết quy định", [("BIS", "Bureau of Industry and Security")]),
    # English
    ("en", "Korea", "Korea's chip exports", [("Korea", "KR")]),
    ("en", "Congo", "cobalt from Congo", [("Congo", "CD")]),
    ("en", "Virgin Islands", "funds in the Virgin Islands", [("Virgin Islands", "VG")]),
    ("en", "Georgia", "Georgia and Armenia", [("Georgia", "GE"), ("Armenia", "AM")]),
    ("en", "Georgia", "a campus near Atlanta, Georgia", [("Atlanta", "Atlanta")]),
    ("en", "Jordan", "Jordan and Egypt", [("Jordan", "JO"), ("Egypt", "EG")]),
    ("en", "Jordan", "said Michael Jordan", []),
    ("en", "Jordan", "said Jordan Peterson", []),
    ("en", "Chad", "aid to Chad rose", [("Chad", "TD")]),
    ("en", "Chad", "Chad is a name.", []),
    ("en", "Chad", "said Chad Smith", []),
    ("en", "Macedonia", "trade with Macedonia", [("Macedonia", "MK")]),
    ("en", "Washington", "Washington tightened export rules", [("Washington", "US")]),
    ("en", "Washington", "based in Redmond, Washington", []),
    ("en", "Washington", "Washington Irving wrote", []),
    ("en", "Beijing", "Beijing (880 MW)", [("Beijing", "Beijing")]),
    ("en", "Brussels", "Brussels fined Apple", [("Brussels", "EU"), ("Apple", "Apple")]),
    ("en", "Sino", "Sino-US tensions", [("Sino", "CN"), ("US", "US")]),
    ("en", "Sino", "shares of Sino Biopharm", []),
    ("en", "BIS", "the BIS rule", [("BIS", "Bureau of Industry and Security")]),
    ("en", "Cursor", "the maker of Cursor raised", [("Cursor", "Anysphere")]),
    ("en", "Cursor", "Cursor position matters.", []),
    ("en", "Runway", "video start-up Runway raised", [("Runway", "Runway")]),
    ("en", "Runway", "Runway lights.", []),
    ("en", "Moonshot", "China's Moonshot raised", [("China", "CN"), ("Moonshot", "Moonshot AI")]),
    ("en", "Moonshot", "Moonshot projects fail.", []),
    (
        "en",
        "Reliance",
        "India's Reliance plans a data centre",
        [("India", "IN"), ("Reliance", "Reliance Industries")],
    ),
    ("en", "Reliance", "Reliance on AI grows.", []),
    ("en", "Grab", "Singapore's Grab uses AI", [("Singapore", "SG"), ("Grab", "Grab")]),
    ("en", "Grab", "Grab a coffee.", []),
    ("en", "Fortune", "according to Fortune", [("Fortune", "Fortune")]),
    ("en", "Fortune", "Fortune favours the bold.", []),
]


@pytest.mark.parametrize(
    ("lang", "name", "text", "expected"),
    AMBIGUOUS_CASES,
    ids=[f"{lang}-{name}-{text[:24]}" for lang, name, text, _ in AMBIGUOUS_CASES],
)
def test_ambiguous_name_is_read_by_its_rules(
    lang: str, name: str, text: str, expected: list[tuple[str, str]]
) -> None:
    assert found(text, lang) == expected


def test_every_ambiguous_entry_has_a_case() -> None:
    covered = {(lang, name) for lang, name, _, _ in AMBIGUOUS_CASES}
    listed = {(lang, name) for lang in LANGS for name in lexicon(lang)["ambiguous"]}
    assert listed - covered == set()


def test_ambiguous_name_carries_its_other_readings() -> None:
    [korea] = find_entities("Korea's exports", "en")
    assert korea.alternatives == ("KP",)
    [beijing] = find_entities("chính sách của Bắc Kinh", "vi")
    assert (beijing.entity_id, beijing.alternatives) == ("Beijing", ("CN",))


# ---------------------------------------------------------------- resolve_entity


@pytest.mark.parametrize(
    ("name", "lang", "entity_id"),
    [
        ("Meta Platforms", "en", "Meta"),
        ("meta platforms", "en", "Meta"),
        ("aws", "vi", "Amazon Web Services"),
        ("Hoa Kỳ", "vi", "US"),
        ("United States", "en", "US"),
        ("Anh", "vi", "GB"),
        ("KR", "en", "KR"),
        ("Tập đoàn Tư vấn Boston", "vi", "Boston Consulting Group"),
        ("Quỹ Tiền tệ Quốc tế", "vi", "IMF"),
        ("U.S.", "en", "US"),
    ],
)
def test_resolve_entity_by_name_or_id(name: str, lang: str, entity_id: str) -> None:
    entity = resolve_entity(name, lang)
    assert entity is not None and entity.id == entity_id


def test_resolve_entity_returns_none_for_unknown_names_and_non_mentions() -> None:
    assert resolve_entity("Nonexistent Widgets", "en") is None
    assert resolve_entity("đô la Mỹ", "vi") is None


# ---------------------------------------------------------------- unknown organisations


def test_unknown_organisation_with_a_corporate_word_is_proposed() -> None:
    text = "Kevin Xu, người sáng lập Interconnected Capital có trụ sở tại Mỹ"
    [candidate] = unknown_organisation_candidates(text, "vi")
    assert (candidate.text, candidate.entity_id) == ("Interconnected Capital",) * 2
    assert text[candidate.start : candidate.end] == candidate.text


def test_unknown_organisation_after_a_cue_is_proposed() -> None:
    assert [c.text for c in unknown_organisation_candidates("công ty Moonbeam Xinchen", "vi")] == [
        "Moonbeam Xinchen"
    ]
    assert [
        c.text for c in unknown_organisation_candidates("AI firm Quantum Owl raised", "en")
    ] == ["Quantum Owl"]


def test_unknown_organisation_named_by_an_apposition_is_proposed() -> None:
    text = "Nvidia sẽ giao 18.000 chip cho Zorvana, công ty AI mới thành lập của PIF."
    assert [c.text for c in unknown_organisation_candidates(text, "vi")] == ["Zorvana"]
    text = "Kestrelix, a British start-up, will build a 1 GW supercomputer."
    assert [c.text for c in unknown_organisation_candidates(text, "en")] == ["Kestrelix"]


def test_an_apposition_without_an_organisation_cue_proposes_nothing() -> None:
    text = "Kestrelix, the new supercomputer in Bristol, ranks 11th. Zorvana, a town, grows."
    assert unknown_organisation_candidates(text, "en") == []


def test_people_products_and_known_names_are_not_proposed() -> None:
    text = "Theo Bloomberg, Elon Musk và Sam Altman dùng ChatGPT; China AI; Although AI grows"
    assert unknown_organisation_candidates(text, "vi") == []
    assert unknown_organisation_candidates("The Information said OpenAI's", "en") == []


# ---------------------------------------------------------------- validation of the files

ENTITIES = {
    "organisation_types": {"lab": "AI labs", "intergovernmental": "bodies of states"},
    "organisation_suffixes": ["Labs"],
    "entities": [
        {"id": "US", "kind": "country", "iso": "US"},
        {"id": "WORLD", "kind": "region"},
        {"id": "OpenAI", "kind": "organisation", "home": "US", "type": "lab", "names": ["OpenAI"]},
    ],
}
LEXICON = {
    "names": {"US": ["Mỹ"]},
    "idioms": {"US": ["xứ cờ hoa"]},
    "demonyms": {"US": ["người Mỹ"]},
    "ambiguous": {"Anh": {"ids": ["US"], "rules": ["not_sentence_initial"], "note": "test"}},
    "not_entities": ["đô la Mỹ"],
    "titles": ["ông"],
    "stopwords": ["theo"],
    "organisation_cues": ["công ty"],
}


def write(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def entity_error(tmp_path: Path, change: dict[str, Any], index: int = 2) -> LexiconError:
    data: dict[str, Any] = yaml.safe_load(yaml.safe_dump(ENTITIES))
    data["entities"][index].update(change)
    data["entities"][index] = {k: v for k, v in data["entities"][index].items() if v is not None}
    path = write(tmp_path, "entities.yaml", data)
    with pytest.raises(LexiconError) as caught:
        load_entities(path)
    assert caught.value.path == str(path)
    return caught.value


def test_a_valid_entity_file_loads(tmp_path: Path) -> None:
    entities = load_entities(write(tmp_path, "entities.yaml", ENTITIES))
    assert entities["OpenAI"].names == ("OpenAI",)
    assert load_entities(DATA_PATH)["OpenAI"].home == "US"


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"colour": "blue"}, "entities[2].colour"),
        ({"kind": None}, "entities[2].kind"),
        ({"home": "XX"}, "entities[2].home"),
        ({"home": "WORLD", "kind": "city", "type": None}, "entities[2].home"),
        ({"type": "bakery"}, "entities[2].type"),
        ({"names": []}, "entities[2].names"),
        ({"iso": "US"}, "entities[2].iso"),
        ({"home": None}, "entities[2].home"),
    ],
)
def test_entity_schema_errors_name_file_and_key(
    tmp_path: Path, change: dict[str, Any], key: str
) -> None:
    assert entity_error(tmp_path, change).key == key


def test_duplicate_entity_id_is_an_error(tmp_path: Path) -> None:
    data: dict[str, Any] = yaml.safe_load(yaml.safe_dump(ENTITIES))
    data["entities"].append({"id": "US", "kind": "country", "iso": "US"})
    with pytest.raises(LexiconError, match="duplicate id") as caught:
        load_entities(write(tmp_path, "entities.yaml", data))
    assert caught.value.key == "entities[3].id"


def test_a_neutral_name_of_two_entities_is_an_error(tmp_path: Path) -> None:
    data: dict[str, Any] = yaml.safe_load(yaml.safe_dump(ENTITIES))
    data["entities"][0]["names"] = ["OpenAI"]
    with pytest.raises(LexiconError, match="also a name of US") as caught:
        load_entities(write(tmp_path, "entities.yaml", data))
    assert caught.value.key == "entities[2].names[0]"


def test_country_iso_must_equal_its_id(tmp_path: Path) -> None:
    assert entity_error(tmp_path, {"iso": "USA"}, index=0).key == "entities[0].iso"


def lexicon_error(tmp_path: Path, change: dict[str, Any]) -> LexiconError:
    data: dict[str, Any] = yaml.safe_load(yaml.safe_dump(LEXICON, allow_unicode=True))
    for key, value in change.items():
        if value is None:
            del data[key]
        else:
            data[key] = value
    path = write(tmp_path, "lexicon.yaml", data)
    entities = write(tmp_path, "entities.yaml", ENTITIES)
    with pytest.raises(LexiconError) as caught:
        load_gazetteer("test", path=path, entities_path=entities)
    assert caught.value.path == str(path)
    return caught.value


def test_a_valid_lexicon_file_compiles(tmp_path: Path) -> None:
    path = write(tmp_path, "lexicon.yaml", LEXICON)
    gazetteer = load_gazetteer(
        "test", path=path, entities_path=write(tmp_path, "entities.yaml", ENTITIES)
    )
    assert gazetteer.exact["Mỹ"].entity_id == "US"


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"colours": ["blue"]}, "colours"),
        ({"titles": None}, "titles"),
        ({"titles": []}, "titles"),
        ({"names": {"XX": ["Nowhere"]}}, "names.XX"),
        ({"names": {"US": []}}, "names.US"),
        ({"names": {"US": ["Mỹ"], "OpenAI": ["Mỹ"]}}, "names.OpenAI[0]"),
        ({"not_entities": ["Mỹ"]}, "not_entities[0]"),
        (
            {"ambiguous": {"Anh": {"ids": ["US"], "rules": ["whenever"], "note": "x"}}},
            "ambiguous.Anh.rules",
        ),
        ({"ambiguous": {"Anh": {"ids": ["US"]}}}, "ambiguous.Anh.note"),
        ({"ambiguous": {"Anh": {"ids": ["XX"], "note": "x"}}}, "ambiguous.Anh.ids"),
        ({"ambiguous": {"Mỹ": {"ids": ["US"], "note": "x"}}}, "ambiguous.Mỹ"),
    ],
)
def test_lexicon_schema_errors_name_file_and_key(
    tmp_path: Path, change: dict[str, Any], key: str
) -> None:
    assert lexicon_error(tmp_path, change).key == key


def test_a_name_of_two_entities_points_to_ambiguous(tmp_path: Path) -> None:
    error = lexicon_error(tmp_path, {"names": {"US": ["Mỹ"], "OpenAI": ["Mỹ"]}})
    assert "also a name of US" in error.message
    assert error.hint is not None and "ambiguous" in error.hint


# ---------------------------------------------------------------- compiled once, lazily


def test_tables_are_compiled_once_per_language() -> None:
    assert load_gazetteer("vi") is load_gazetteer("vi")


def test_importing_the_module_compiles_nothing() -> None:
    probe = (
        "import airace.extract.entities; from airace.extract import entity_list, gazetteer; "
        "print(gazetteer.packaged_gazetteer.cache_info().currsize, "
        "entity_list.default_entities.cache_info().currsize)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["0", "0"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Quỹ Đầu tư Công Ả Rập Xê Út rót vốn.", ["Public Investment Fund"]),
        (
            "Quỹ đầu tư công nghiệp mạch tích hợp quốc gia tăng vốn.",
            ["China Integrated Circuit Industry Investment Fund"],
        ),
        ("Quỹ đầu tư công nghiệp AI quốc gia ra đời.", []),  # an industry fund, not PIF
    ],
)
def test_a_name_that_opens_a_longer_compound_is_not_matched_inside_it(
    text: str, expected: list[str]
) -> None:
    assert [m.entity_id for m in find_entities(text, "vi")] == expected
