"""Space knowledge (crawler/knowledge): the gazetteer's data and the matcher, as pure functions of
text; the tagging stage on the path `scrapy extract` runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.utils.project import get_project_settings

from crawler.knowledge import KINDS, shipped_gazetteer, tag_text
from crawler.knowledge.gazetteer import DATA_FILES, GazetteerError, data_file, load
from crawler.sitekit.offline import OfflineRun


def ids(text: str) -> list[str]:
    return [entity["id"] for entity in tag_text(text)]


# The mission's example, in its shape: a WordPress re-post of a CNN interview (our own text).
REPOST = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Rogozin warns NASA over sanctions in CNN interview &#8211; Orbital Watch</title>
<link rel="canonical" href="https://edition.cnn.com/2022/03/02/world/rogozin-roscosmos-interview/index.html">
<meta property="og:type" content="article"></head><body>
<header><a href="/">Orbital Watch</a></header>
<article class="post type-post">
<h1 class="entry-title">Rogozin warns NASA over sanctions in CNN interview</h1>
<div class="entry-meta">Posted on <time datetime="2022-03-02T09:15:00+00:00">March 2, 2022</time> by admin</div>
<div class="entry-content">
<p>This interview first appeared on CNN. Dmitry Rogozin, the head of Russia's space agency Roscosmos, said
in the interview that Western sanctions could end decades of cooperation with NASA on the station.</p>
<p>Asked about SpaceX, Rogozin dismissed the company's rockets and mocked Elon Musk, who had offered
to send Starlink terminals to Ukraine. Musk answered on Twitter within the hour.</p>
<p>American officials said the crew aboard would come home as planned, and that flights to orbit from
Florida would go on whatever Moscow decided about its own launches in the coming months.</p>
</div>
<div class="sharedaddy"><h3>Share this:</h3><a href="#">Twitter</a></div>
</article>
<div id="comments"><h3>Leave a Reply</h3></div></body></html>"""


def test_the_mission_example_tags_its_agencies_company_and_people_on_the_extract_path() -> None:
    article = OfflineRun(get_project_settings()).process("https://orbitalwatch.example/2022/03/rogozin-cnn/", REPOST)
    found = {(entity["kind"], entity["id"]) for entity in article.entities}
    assert {("agency", "roscosmos"), ("agency", "nasa"), ("company", "spacex"), ("person", "elon-musk"),
            ("person", "dmitry-rogozin")} <= found
    assert {"name": "Dmitry Rogozin", "kind": "person", "id": "dmitry-rogozin"} in article.entities


def test_without_the_switch_the_stage_stays_out() -> None:
    settings = get_project_settings()
    settings.set("SPACECRAWL_ENTITIES_ENABLED", False)
    assert OfflineRun(settings).process("https://orbitalwatch.example/2022/03/rogozin-cnn/", REPOST).entities == []


# Each ambiguous name: the same words without and with a space context nearby.
AMBIGUOUS = [
    ("Apollo", "apollo", "Apollo raised its dividend after a strong quarter for the fund.",
     "Apollo astronauts flew the lunar module down to the surface of the Moon."),
    ("Dragon", "dragon", "The Dragon festival drew crowds to the river on Sunday.",
     "Dragon docked with the space station a day after the rocket lifted off."),
    ("Orion", "orion", "Orion Health reported a loss, and Orion shares fell.",
     "Orion will carry four astronauts around the Moon on its next flight."),
    ("Atlas", "atlas-family", "He bought an Atlas of the world for his daughter.",
     "The Atlas booster put the satellite into orbit from Florida."),
    ("Falcon", "falcon-family", "A Falcon circled the stadium before kick-off.",
     "The Falcon first stage landed on the droneship after the launch."),
    ("Electron", "electron", "Electron, the desktop framework, shipped a new version.",
     "Electron lifted off from New Zealand with a radar satellite for orbit."),
    ("Juno", "juno", "Juno, the film, returns to cinemas this winter.",
     "Juno has been in orbit around Jupiter since 2016, and the spacecraft is healthy."),
    ("Gemini", "gemini", "Gemini twins share a birthday, the horoscope said.",
     "Gemini astronauts practised docking in orbit before Apollo flew."),
    ("Artemis", "artemis", "Artemis, the Greek goddess, was worshipped at Ephesus.",
     "Artemis will return astronauts to the lunar surface after the rocket's second flight."),
]


@pytest.mark.parametrize(("name", "entity_id", "elsewhere", "in_space"), AMBIGUOUS, ids=[a[0] for a in AMBIGUOUS])
def test_an_ambiguous_name_counts_only_in_a_space_context(name: str, entity_id: str, elsewhere: str,
                                                          in_space: str) -> None:
    assert entity_id not in ids(elsewhere)
    assert entity_id in ids(in_space)


def test_mercury_the_planet_is_never_the_programme() -> None:
    assert ids("Mercury's orbit around the Sun takes 88 days, a rocket scientist said.") == []
    assert ids("Project Mercury put the first Americans into orbit.") == ["mercury"]


def test_a_context_too_far_away_does_not_count() -> None:
    assert "dragon" not in ids("Dragon restaurant opened downtown. " + "Word " * 80 + "The rocket launched.")


def test_names_that_are_something_else_cover_the_name_inside() -> None:
    assert ids("Apollo Global Management, the rocket of private equity, bought a satellite maker.") == []
    assert ids("Freddie Mercury sang about an astronaut in orbit.") == []
    assert ids("Советский Союз запустил ракету на орбиту.") == []  # the Soviet Union, not the Soyuz


def test_the_longest_name_wins() -> None:
    assert ids("Crew Dragon launched on a Falcon Heavy from Kennedy Space Center.") == [
        "dragon", "falcon-heavy", "ksc"]


def test_names_stand_as_words() -> None:
    assert ids("La esa mesa es de ESAB y de Nasarawa.") == []  # Spanish "esa", another company, a Nigerian state
    assert ids("Electrons and electron beams.") == []  # one-word names match as written
    assert ids("SPACEX AND NASA SIGN DEAL") == ["spacex", "nasa"]  # a headline in capitals


def test_inflected_names_and_other_scripts() -> None:
    assert ids("Глава Роскосмоса встретился с НАСА.") == ["roscosmos", "nasa"]
    assert ids("Die Sonde der NASAs und das ESA-Team") == ["nasa", "esa"]
    # Japanese and Chinese write no spaces: names count inside words, Latin names beside them
    assert ids("NASAとJAXAは種子島宇宙センターからH3ロケットを打ち上げた。") == ["nasa", "jaxa", "tanegashima", "h3"]
    assert ids("中国空间站天宫迎来神舟十八号乘组") == ["tiangong", "shenzhou"]
    assert ids("L'Agence spatiale européenne et la Agencia Espacial Europea") == ["esa"]


def test_entities_come_once_in_order_of_first_mention() -> None:
    assert tag_text("SpaceX won.", None, "NASA and SpaceX agreed.") == [
        {"name": "SpaceX", "kind": "company", "id": "spacex"}, {"name": "NASA", "kind": "agency", "id": "nasa"}]


def test_the_gazetteer_covers_every_kind_and_languages() -> None:
    known = shipped_gazetteer()
    assert len(known.entities) >= 300
    assert {entity.kind for entity in known.entities.values()} == set(KINDS)
    for name, entity_id in [("Роскосмос", "roscosmos"), ("宇宙航空研究開発機構", "jaxa"),
                            ("Europäische Weltraumorganisation", "esa"), ("Agence spatiale européenne", "esa"),
                            ("Agencia Espacial Europea", "esa"), ("ファルコン9", "falcon-9"), ("Фалкон-9", "falcon-9"),
                            ("navette spatiale", "space-shuttle"), ("Raumfähre", "space-shuttle"),
                            ("transbordador espacial", "space-shuttle"), ("falcon-9", "falcon-9"), ("nasa", "nasa")]:
        assert known.ids_named(name) == {entity_id}, name


def write_gazetteer(folder: Path, agencies: str) -> Path:
    for name in DATA_FILES:
        (folder / name).write_text(data_file(name), encoding="utf-8")
    (folder / "agencies.toml").write_text(agencies, encoding="utf-8")
    return folder


@pytest.mark.parametrize(("agencies", "message"), [
    ('[x]\nname = "X"\nalias = ["Y"]\n', r"agencies.toml \[x\]: unknown key 'alias'"),
    ('[x]\naliases = ["Y"]\n', r"agencies.toml \[x\]: an entry needs name"),
    ('[x]\nname = "X"\ncontext = ["Y"]\n', r"agencies.toml \[x\]: 'Y' is in context/inflected but not a name"),
    ('[spacex]\nname = "SpaceX"\n', r"\[spacex\]: the id is taken by a"),
    ('[x\nname = "X"\n', r"agencies.toml: "),
])
def test_a_gazetteer_entry_that_does_not_read_names_its_file_and_entry(tmp_path: Path, agencies: str,
                                                                       message: str) -> None:
    with pytest.raises(GazetteerError, match=message):
        load(write_gazetteer(tmp_path, agencies))


def test_an_added_entry_is_found(tmp_path: Path) -> None:
    from crawler.knowledge.matcher import Matcher

    folder = write_gazetteer(tmp_path, data_file("agencies.toml")
                             + '\n[orbit-agency]\nname = "Orbit Agency of Atlantis"\naliases = ["OAA"]\n')
    assert Matcher(load(folder)).tag("The OAA signed with NASA.") == [
        {"name": "Orbit Agency of Atlantis", "kind": "agency", "id": "orbit-agency"},
        {"name": "NASA", "kind": "agency", "id": "nasa"}]
