"""Invented space-news prose: word pools and sentence templates filled from a seeded RNG.

Every name here is made up. Body sentences, comments, captions and bios come from separate
templates so that no boilerplate sentence can also be a body sentence.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Callable, Sequence
from random import Random

COMPANIES = (
    "Tessera Launch Systems", "Vantor Aerospace", "Helion Orbital", "Corvid Space",
    "Northgate Rocketworks", "Lumen Astronautics", "Brightwater Dynamics", "Kestrel Orbital",
    "Astraea Mobility", "Meridian Propulsion", "Solenne Spaceworks", "Obsidian Launch",
)
VEHICLES = (
    "Kestrel Heavy", "Aurora 7", "Tessera One", "Corvid Lift", "Halcyon V", "Pathmark 2",
    "Seraph", "Nimbus Block 3", "Vantor Longbow", "Helion Sparrow",
)
PAYLOADS = (
    "Orison weather satellite", "Quillon lunar lander", "Sable imaging satellite",
    "Vesper deep-space probe", "Talon cargo capsule", "Cirrus relay satellite",
    "Wren asteroid probe", "Tidewater ocean-monitoring satellite", "Beacon navigation satellite",
    "Marrow space telescope", "Lattice broadband satellite", "Ember radar satellite",
)
PAYLOAD_FLEETS = (
    "broadband satellites", "radar satellites", "weather satellites", "cargo missions",
    "crew flights", "lunar landers", "relay satellites", "imaging satellites",
)
PLACES = (
    "Port Meridian Spaceport", "the Calder Ridge launch complex", "Saltmarsh Point",
    "the Île Verte range", "the Ostrander test site", "Base Aérienne de Solenne", "Cape Harrow",
    "the Kettle Flats range",
)
AGENCIES = (
    "the Continental Space Agency", "the Orbital Safety Office", "the Pacific Range Authority",
    "the Northern Launch Licensing Board",
)
AGENCY_SHORT = ("Continental Space Agency", "Orbital Safety Office", "Pacific Range Authority")
OFFICIALS = (
    "Anaya Brightwell, the mission director", "Tomas Varga, the chief engineer",
    "Miriam Oduya, the launch director", "Callum Reyes, the range safety lead",
    "Sunniva Holt, the programme manager", "Bertrand Lacombe, the flight dynamics lead",
)
COMPONENTS = (
    "second-stage engine", "payload fairing", "grid fin actuator", "liquid-oxygen valve",
    "flight termination system", "avionics bay", "interstage", "helium pressurant tank",
    "landing leg", "upper-stage nozzle", "turbopump", "guidance computer",
)
ORBITS = (
    "sun-synchronous orbit", "geostationary transfer orbit", "low Earth orbit",
    "a lunar transfer trajectory", "a polar orbit", "medium Earth orbit",
)
WHEN = (
    "later this month", "before the end of the quarter", "early next year", "within six weeks",
    "by the autumn launch window", "after the summer maintenance period", "next spring",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DAYPARTS = ("morning", "afternoon", "evening", "night")
HOLD_REASONS = (
    "a stray boat in the hazard area", "upper-level winds", "a sensor reading on the pad",
    "a ground software update", "a late telemetry check",
)
WEATHER = ("thick cumulus clouds", "gusty surface winds", "lightning nearby", "a cold front")
SHIPS = ("Steady Course", "Quiet Harbour", "Long Patience", "Second Chance")
ANALYSTS = ("Orbitrend Research", "Halvorsen Partners", "the Skyline Institute")
MARKETS = (
    "in-orbit servicing", "small launch vehicles", "satellite broadband", "lunar cargo",
    "Earth observation data", "space debris tracking",
)
INSTRUMENTS = (
    ("a multispectral camera", "map crop health across three continents"),
    ("a synthetic aperture radar", "image the ground through cloud and darkness"),
    ("a laser altimeter", "measure ice sheet thickness to within a few centimetres"),
    ("an infrared spectrometer", "study the composition of near-Earth asteroids"),
    ("an optical terminal", "relay data at several gigabits per second"),
)
SEAS = ("the Grey Sound", "the Corrin Basin", "the southern test corridor")
PHASES = ("ascent", "coast", "boostback", "entry", "landing")
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth")
DURATIONS = ("three-week", "ten-day", "two-month", "six-week")

SENTENCES = (
    "{company} launched the {payload} from {place} on {weekday} {daypart}.",
    "The {vehicle} rocket lifted off at {hh}:{mm} local time after a hold of {small} minutes for {hold}.",
    "Engineers replaced a faulty {component} during the {duration} stand-down that followed the last flight.",
    "{Agency} said its review of the {component} anomaly would conclude {when}.",
    "The payload is headed for {orbit} with a planned inclination of {deg}° and an altitude of about {km} kilometres.",
    "Weather officers forecast a {pct} percent chance of acceptable conditions, with {weather} the main concern.",
    "According to {official}, the {component} performed within expected limits throughout the flight.",
    "{company} plans {count} more launches {when}, pending approval from {agency}.",
    "The first stage touched down on the recovery ship {ship} about {small} minutes after liftoff.",
    "Overnight temperatures at {place} fell to {temp} °C, which delayed fuelling by roughly an hour.",
    "The mission is the {ordinal} flight of the {vehicle} this year and the {ordinal2} from {place}.",
    "Ground controllers confirmed that the {payload} had deployed its solar arrays and begun sending telemetry.",
    "Insurers valued the {payload} at about {money} million dollars, according to people familiar with the policy.",
    "Analysts at {analyst} expect demand for {market} to grow by {pct} percent over the next five years.",
    "The launch window opens at {hh}:{mm} UTC and stays open for {small} minutes.",
    "A static fire test of the {vehicle} lasted {sec} seconds and ended without any reported anomalies.",
    "{Official}, told reporters that the team would study the data before setting a new date.",
    "The {payload} carries {instrument} designed to {goal}.",
    "Range safety officers cleared the airspace over {sea} for the {vehicle} ascent.",
    "{company} has now reflown its boosters {count2} times since the first landing attempt.",
    "A backup opportunity falls on {weekday} {daypart}, {agency} said in a statement.",
    "The contract with {agency} covers {count} launches between {year} and {year2}.",
    "Telemetry showed the {component} running slightly warm during the {phase} phase, though still within margins.",
    "Mission managers spent {duration2} reviewing data from the {component} before approving the attempt.",
    "The {vehicle} is expected to carry {count} {fleet} for {company} {when}.",
    "Crews at {place} rolled the {vehicle} out to the pad {daypart_ago} and raised it vertical within {small} hours.",
    "Roughly {count2} employees work on the {vehicle} programme, most of them at the factory near {place}.",
    "The {payload} was built in {months} months, about half the time such spacecraft usually take.",
    "Fuelling began {small} minutes late because a ground pump at {place} needed a reset.",
    "{company} declined to say how much the {component} redesign had cost.",
    "Both fairing halves were recovered from the water by the support vessel {ship}.",
    "The upper stage fired twice to circularise its orbit before releasing the {payload}.",
    "Licensing documents filed with {agency} show the company wants to fly up to {count2} times a year.",
    "Its solar arrays should generate about {kw} kilowatts once fully unfolded.",
    "The {vehicle} stands about {height} metres tall and burns liquid oxygen and methane.",
    "Spectators lined the beaches near {place} long before the {daypart} countdown began.",
    "The previous attempt was called off at T-minus {small} seconds when a sensor on the {component} tripped.",
    "{company} has booked {count} rides for {fleet} on rockets built by {company2}.",
    "A second {payload} is due to follow {when} if the first one checks out.",
    "Tracking stations in {station} picked up the first signal about {small} minutes after separation.",
    "Officials at {agency} plan to publish a summary of the investigation {when}.",
    "The company said the {component} had been tested for {sec} hours on the ground before flight.",
)
HEADLINES = (
    "{vehicle} launches {payload} from {place_short}",
    "{company} delays {payload} launch after {component} issue",
    "{company} wins {agency_short} contract for {count} {fleet}",
    "{payload} reaches {orbit} after {vehicle} flight",
    "{company} completes {sec}-second static fire of {vehicle}",
    "{agency_short} opens review of {vehicle} {component} anomaly",
    "{company} & {company2} team up on {market}",
    "{vehicle} booster lands on {ship} for the {ordinal} time",
    "{company} targets {weekday} for {ordinal} {vehicle} mission of the year",
    "{company} raises {money} million dollars to expand {market}",
)
SUBHEADINGS = (
    "What comes next", "Why the delay matters", "A crowded manifest", "Inside the {component}",
    "The road to {place_short}", "Lessons from the last flight", "Money and margins",
    "How the {vehicle} compares",
)
LIST_ITEMS = (
    "Launch window: {hh}:{mm} UTC", "Backup date: {weekday}", "Booster recovery: {ship}",
    "Target orbit: {orbit}", "Payload mass: {kg} kg", "Customer: {company}",
    "Weather outlook: {pct} percent favourable", "Flight number: {count2}",
)
QUOTES = (
    "We saw exactly the margins we expected on the {component}, and the team is ready to fly again.",
    "Every flight of the {vehicle} teaches us something, and this one was no exception.",
    "The {payload} is the most capable spacecraft we have ever prepared for launch.",
    "We would rather wait a few days at {place_short} than take a risk we do not understand.",
)
CAPTIONS = (
    "The {vehicle} stands on the pad at {place_short} ahead of launch.",
    "Technicians inspect the {component} in the integration hall.",
    "A long exposure shows the {vehicle} climbing through the {daypart} sky.",
)
COMMENTS = (
    "Watched the webcast from {city} – the plume was visible for almost {small} minutes. Incredible.",
    "Does anyone know whether the {component} issue affects the rest of the {vehicle} manifest?",
    "Another slip? I will believe the new date when I actually see the countdown clock running.",
    "Thanks for the detailed write-up, much clearer than the official press release.",
    "Nice to see {company} finally sharing booster reuse numbers with the public.",
    "My kids and I drove out to watch the last one and it was worth every minute of the traffic.",
    "Honest question: why does the {fleet} market need yet another rocket company?",
    "The {ordinal} landing on {ship} still gives me goosebumps.",
)
CITIES = ("Saltmarsh Point", "the causeway", "my back porch", "the visitor centre roof")
COMMENTERS = (
    "OrbitWatcher42", "Deb from the Cape", "k_lindgren", "RocketDad", "Ana P.", "skywatch_mike",
    "Bernadette", "T. Nakamura", "low_earth_lou", "Farid",
)
# (name, beat) of the newsroom's writers
AUTHORS = (
    ("Maren Okafor", "launch operations"), ("Julian Ashby", "the commercial space industry"),
    ("Priya Raman", "planetary science"), ("Dmitri Sokol", "space policy and regulation"),
    ("Helena Park", "satellite communications"), ("Samuel Achterberg", "rocket propulsion"),
    ("Inès Moreau", "European launch programmes"), ("Kofi Mensah", "Earth observation"),
    ("Laura Whitcombe", "human spaceflight"), ("Ravi Chandran", "space startups and funding"),
    ("Greta Lindqvist", "lunar exploration"), ("Owen Castellanos", "defence and space"),
)
# (slug, name) of the site's categories; articles are spread over them in this order's weights
CATEGORIES = (("launch", "Launch"), ("satellites", "Satellites"),
              ("exploration", "Exploration"), ("industry", "Industry"))
TAGS = (
    "Reusable Rockets", "Lunar Surface Missions", "Earth Observation", "Small Satellites",
    "Deep Space", "Launch Sites", "Space Policy", "Static Fire", "Satellite Broadband",
    "Booster Recovery",
)

_POOLS: dict[str, Sequence[str]] = {
    "company": COMPANIES, "company2": COMPANIES, "vehicle": VEHICLES, "payload": PAYLOADS,
    "fleet": PAYLOAD_FLEETS, "place": PLACES, "agency": AGENCIES, "agency_short": AGENCY_SHORT,
    "official": OFFICIALS, "component": COMPONENTS, "orbit": ORBITS, "when": WHEN,
    "weekday": WEEKDAYS, "daypart": DAYPARTS, "hold": HOLD_REASONS, "weather": WEATHER,
    "ship": SHIPS, "analyst": ANALYSTS, "market": MARKETS, "sea": SEAS, "phase": PHASES,
    "ordinal": ORDINALS, "ordinal2": ORDINALS, "duration": DURATIONS, "city": CITIES,
    "station": ("the far north", "the southern islands", "the mountain observatory", "three countries"),
    "daypart_ago": ("on Sunday night", "early on Monday", "two days before launch", "late on Friday"),
    "place_short": tuple(p.removeprefix("the ") for p in PLACES),
    "duration2": ("two days", "most of the night", "a full week", "several hours"),
    "Agency": tuple(a[0].upper() + a[1:] for a in AGENCIES),
    "Official": tuple(o[0].upper() + o[1:] for o in OFFICIALS),
}
_NUMBERS: dict[str, Callable[[Random], str]] = {
    "hh": lambda r: f"{r.randrange(24):02d}", "mm": lambda r: f"{r.randrange(60):02d}",
    "small": lambda r: str(r.randint(4, 19)), "deg": lambda r: str(r.randint(28, 98)),
    "km": lambda r: str(r.randrange(350, 1200, 5)), "pct": lambda r: str(r.randrange(20, 95, 5)),
    "count": lambda r: str(r.randint(2, 12)), "count2": lambda r: str(r.randint(14, 60)),
    "temp": lambda r: str(r.randint(-6, 9)), "money": lambda r: str(r.randrange(40, 900, 5)),
    "sec": lambda r: str(r.randint(8, 45)), "year": lambda r: str(r.randint(2025, 2027)),
    "year2": lambda r: str(r.randint(2029, 2033)), "kg": lambda r: str(r.randrange(150, 6000, 10)),
    "months": lambda r: str(r.randint(14, 40)), "kw": lambda r: str(r.randint(3, 25)),
    "height": lambda r: str(r.randint(38, 122)),
}


def _compile(templates: Sequence[str]) -> list[tuple[str, tuple[str, ...]]]:
    compiled = []
    for template in templates:
        slots = tuple(f for _, f, _, _ in string.Formatter().parse(template) if f)
        unknown = set(slots) - _POOLS.keys() - _NUMBERS.keys() - {"goal", "instrument"}
        if unknown:
            raise ValueError(f"template {template!r} has unknown slots {sorted(unknown)}")
        compiled.append((template, slots))
    return compiled


_COMPILED = {name: _compile(t) for name, t in {
    "sentence": SENTENCES, "headline": HEADLINES, "subheading": SUBHEADINGS, "list_item": LIST_ITEMS,
    "quote": QUOTES, "caption": CAPTIONS, "comment": COMMENTS}.items()}


def fill(kind: str, rng: Random, which: int | None = None) -> str:
    """Template ``which`` (a random one when None) of ``kind`` with every slot filled."""
    templates = _COMPILED[kind]
    template, slots = templates[which] if which is not None else rng.choice(templates)
    values: dict[str, str] = {}
    for slot in slots:
        if slot in _POOLS:
            value = rng.choice(_POOLS[slot])
            while slot.endswith("2") and value == values.get(slot[:-1]):  # "X & X team up"
                value = rng.choice(_POOLS[slot])
            values[slot] = value
        elif slot in _NUMBERS:
            values[slot] = _NUMBERS[slot](rng)
        elif slot not in values:  # instrument and goal go together
            values["instrument"], values["goal"] = rng.choice(INSTRUMENTS)
    return template.format_map(values)


def body(rng: Random, paragraphs: int) -> list[str]:
    """``paragraphs`` paragraphs of three to five sentences; an article uses each sentence
    template at most once while it can, so that articles do not read alike."""
    deck: list[int] = []
    out = []
    for _ in range(paragraphs):
        sentences = []
        for _ in range(rng.randint(3, 5)):
            if not deck:
                deck = rng.sample(range(len(SENTENCES)), len(SENTENCES))
            sentences.append(fill("sentence", rng, deck.pop()))
        out.append(" ".join(sentences))
    return out


def headline(rng: Random) -> str:
    text = fill("headline", rng)
    return text[0].upper() + text[1:]


def comment(rng: Random) -> str:
    first = fill("comment", rng)
    if rng.random() < 0.4:
        second = fill("comment", rng)
        if second != first:
            return f"{first} {second}"
    return first


def bio(name: str, beat: str, years: int) -> str:
    first = name.split()[0]
    return (f"{name} covers {beat} for Fake Space News. Before joining the newsroom, {first} "
            f"spent {years} years reporting on aviation and the defence industry.")


def slugify(text: str) -> str:
    """A WordPress-like slug: lowercase ASCII words joined by hyphens, accents folded, '&' dropped."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
