"""Deterministic news-like corpora for the benchmarks: no downloads, same bytes every run.

Sentences come from two sources, mixed about 1:3: the sample corpus's sentences with
their days, numbers and places varied, and templates filled with actors, places and
claims of the kind war reporting is made of (statements, quotes, denials, casualty
figures, aid, talks). Every sentence is unique, so an embedding cache cannot make a run
look faster than the model. Sentence lengths follow news prose (mean about 24 words, a
long tail to 60). Documents are articles of 8-40 sentences in 1-3 sentence paragraphs.

    python benchmarks/corpus.py 10000 out/bench/corpus-10k          # a folder of .txt
    python benchmarks/corpus.py 100000 out/bench/c100k.jsonl        # one .jsonl
"""

from __future__ import annotations

import json
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_CORPUS = ROOT / "seeds" / "antalya_talks_2022-03.txt"

RUSSIAN = [
    "Russian Foreign Minister Sergei Lavrov",
    "Kremlin spokesman Dmitry Peskov",
    "Russian President Vladimir Putin",
    "Russian Defense Minister Sergei Shoigu",
    "Major General Igor Konashenkov",
    "a spokesman for the Russian Defense Ministry",
    "Russia's ambassador to the United Nations, Vasily Nebenzya",
    "Maria Zakharova, the foreign ministry spokeswoman",
    "the head of the Russian delegation, Vladimir Medinsky",
    "Russian state television",
]
UKRAINIAN = [
    "Ukrainian President Volodymyr Zelenskyy",
    "Ukrainian Foreign Minister Dmytro Kuleba",
    "Ukraine's Defense Minister Oleksii Reznikov",
    "presidential adviser Mykhailo Podolyak",
    "the mayor of Kharkiv, Ihor Terekhov",
    "Kyiv Mayor Vitali Klitschko",
    "the Ukrainian General Staff",
    "Deputy Prime Minister Iryna Vereshchuk",
    "a regional governor, Vitaliy Kim",
    "Ukraine's prosecutor general, Iryna Venediktova",
]
WESTERN = [
    "US Secretary of State Antony Blinken",
    "NATO Secretary General Jens Stoltenberg",
    "a senior US defense official",
    "British Prime Minister Boris Johnson",
    "EU foreign policy chief Josep Borrell",
    "German Chancellor Olaf Scholz",
    "French President Emmanuel Macron",
    "analysts at the Institute for the Study of War",
    "Turkish Foreign Minister Mevlut Cavusoglu",
    "the UN refugee agency",
    "a Western intelligence official",
    "the International Committee of the Red Cross",
]
SOURCES = [
    "Reuters",
    "the Associated Press",
    "local officials",
    "the regional administration",
    "satellite images released by Maxar Technologies",
    "the British Defense Ministry",
    "Ukrainian emergency services",
    "witnesses who spoke to reporters",
    "the Kyiv Independent",
    "Russian news agencies",
    "a statement posted on Telegram",
    "the Pentagon",
]
PLACES = [
    "Kyiv",
    "Kharkiv",
    "Mariupol",
    "Odesa",
    "Kherson",
    "Mykolaiv",
    "Chernihiv",
    "Sumy",
    "Lutsk",
    "Lviv",
    "Dnipro",
    "Zaporizhzhia",
    "Bucha",
    "Irpin",
    "Donetsk",
    "Luhansk",
    "Volnovakha",
    "Izium",
    "Severodonetsk",
    "Kramatorsk",
    "Melitopol",
    "Bakhmut",
    "Vinnytsia",
    "Zhytomyr",
    "Poltava",
    "Ivano-Frankivsk",
    "Rivne",
    "Uzhhorod",
    "Berdyansk",
    "Okhtyrka",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["March", "April", "May", "June"]
WHEN = [
    "on {day}",
    "late on {day}",
    "early on {day}",
    "on {month} {date}",
    "earlier this week",
    "overnight",
    "in the past 24 hours",
    "last week",
    "on {day} evening",
    "in recent days",
]
THINGS = [
    "tanks",
    "armored vehicles",
    "artillery systems",
    "drones",
    "helicopters",
    "rocket launchers",
    "trucks",
    "fighter jets",
    "anti-aircraft systems",
    "fuel tankers",
]

# Claims as subordinate clauses, grouped by the frame they lean to; {place}, {n} filled in.
CLAIMS = [
    # special operation
    "the special military operation is proceeding strictly according to plan",
    "Russian forces strike only military infrastructure and pose no threat to civilians",
    "the operation will continue until all of its goals have been achieved",
    "the slower pace near {place} was a deliberate choice to spare the civilian population",
    "the military operation in Donbass is going as planned despite Western claims",
    "precision weapons were used against {n} military targets near {place}",
    # invasion / aggression
    "Russia's unprovoked invasion must be met with a united and determined response",
    "this is a full-scale war of aggression against a sovereign and democratic nation",
    "Russian troops crossed the border near {place} without any provocation",
    "the invasion has violated every principle of the United Nations Charter",
    "the assault on {place} amounts to a war crime under international law",
    "Moscow's aggression threatens the security of the whole of Europe",
    # liberation / denazification
    "Russian troops are liberating the people of Donbass from neo-Nazis",
    "the aim of the operation is the demilitarization and denazification of Ukraine",
    "residents of {place} welcomed the soldiers who freed them from nationalist battalions",
    "nationalist formations were using civilians in {place} as human shields",
    # humanitarian
    "thousands of civilians remain trapped in {place} without water, heat or electricity",
    "a humanitarian corridor from {place} allowed {n} people to leave by bus",
    "more than {n} refugees crossed into Poland in a single day",
    "the maternity hospital in {place} was hit during the shelling",
    "aid convoys could not reach {place} because the shelling did not stop",
    "at least {n} civilians, including children, were killed in the strike on {place}",
    # negotiations
    "talks between the two delegations could resume as early as next week",
    "the sides discussed a possible ceasefire and the exchange of prisoners",
    "any agreement would require guarantees of Ukraine's security from several countries",
    "the negotiations in Istanbul produced no breakthrough on the main questions",
    "a meeting between the two presidents is possible once a draft treaty is ready",
    # sanctions / economy
    "new sanctions target Russian banks, energy exports and the central bank's reserves",
    "the ruble lost {n} percent of its value against the dollar in a week",
    "European governments are divided over a ban on Russian gas imports",
    "Western companies have suspended operations in Russia at an unprecedented pace",
    # military situation and Western aid
    "{n} {thing} were destroyed in fighting near {place}",
    "Ukrainian forces have pushed Russian units back from the outskirts of {place}",
    "air-raid sirens sounded across {place} for several hours",
    "the United States will send another {n} Javelin anti-tank missiles to Ukraine",
    "NATO allies agreed to strengthen their forces on the alliance's eastern flank",
    "Russian units near {place} are short of fuel, food and ammunition",
    "the front line around {place} has barely moved for two weeks",
    "{n} Russian soldiers have been killed since the start of the war",
    "long columns of {thing} were seen moving toward {place}",
]

PATTERNS = [
    "{Actor} said {when} that {claim}.",
    "“{Claim},” {actor} told reporters in {city}.",
    "According to {source}, {claim}.",
    "{Claim}, {actor} said {when}, adding that {claim2}.",
    "{When}, {claim}, {source} reported.",
    "{Actor} denied that {claim}.",
    "{Actor} insisted {when} that {claim}, but {source} said {claim2}.",
    "“We will not allow this,” {actor} said, warning that {claim}.",
    "{Claim}.",
    "In {city}, {claim}, while {claim2}.",
    "{Actor} called the claim that {claim} “absurd.”",
    "It was not immediately possible to verify reports that {claim}.",
    "{Actor} wrote on Telegram {when} that {claim}; {actor2} said {claim2}.",
]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _seed_sentences() -> list[str]:
    """The sample corpus's sentences, as framing itself segments them."""
    sys.path.insert(0, str(ROOT))
    from framing.text import Document, segment

    text = SEED_CORPUS.read_text(encoding="utf-8")
    return [s.text for s in segment(Document(id="seed", text=text)) if len(s.text.split()) >= 6]


_NUMBER = re.compile(r"\b\d[\d,]*\b")
_DAY = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
_COMMON_OPENERS = {"The", "A", "In", "It", "After", "As", "To", "But", "If", "Yet", "Not", "Hopes"}
_SEED_PLACES = re.compile(r"\b(Kiev|Lutsk|Dnipro|Volnovakha|Antalya|Ivano-Frankivsk|Donbass)\b")


class SentenceSource:
    """An endless stream of unique, news-like sentences for one seed."""

    def __init__(self, seed: int = 0, seed_share: float = 0.25):
        self.rng = random.Random(seed)
        self.seed_share = seed_share
        self.seed_sentences = _seed_sentences()
        self.seen: set[str] = set()

    def _fill(self, template: str) -> str:
        r = self.rng
        when = r.choice(WHEN).format(
            day=r.choice(DAYS), month=r.choice(MONTHS), date=r.randint(1, 30)
        )
        values = {
            "place": r.choice(PLACES),
            "n": f"{r.choice([r.randint(2, 99), r.randint(100, 999), r.randint(1000, 60000)]):,}",
            "thing": r.choice(THINGS),
        }
        claim = r.choice(CLAIMS).format(**values)
        values2 = {
            **values,
            "place": r.choice(PLACES),
            "n": str(r.randint(2, 500)),
            "thing": r.choice(THINGS),
        }
        claim2 = r.choice(CLAIMS).format(**values2)
        actors = r.choice([RUSSIAN, UKRAINIAN, WESTERN])
        actor = r.choice(actors)
        actor2 = r.choice(r.choice([RUSSIAN, UKRAINIAN, WESTERN]))
        return template.format(
            Actor=_cap(actor),
            actor=actor,
            actor2=actor2,
            when=when,
            When=_cap(when),
            claim=claim,
            Claim=_cap(claim),
            claim2=claim2,
            source=r.choice(SOURCES),
            city=r.choice(PLACES),
        )

    def _vary_seed(self) -> str:
        r = self.rng
        sentence = r.choice(self.seed_sentences)
        sentence = _NUMBER.sub(lambda m: f"{r.randint(2, 20000):,}", sentence)
        sentence = _DAY.sub(lambda m: r.choice(DAYS), sentence)
        sentence = _SEED_PLACES.sub(lambda m: r.choice(PLACES), sentence)
        prefix = r.choice(["", "", "Meanwhile, ", "On {d}, ", "As of {d}, ", "Separately, "])
        first, _, rest = sentence.partition(" ")
        if prefix and first in _COMMON_OPENERS:  # never lower-case a name
            sentence = prefix.format(d=r.choice(DAYS)) + first.lower() + " " + rest
        return sentence

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        for _ in range(1000):
            if self.rng.random() < self.seed_share:
                sentence = self._vary_seed()
            else:
                sentence = self._fill(self.rng.choice(PATTERNS))
            if sentence not in self.seen:
                self.seen.add(sentence)
                return sentence
        raise RuntimeError("cannot find a new unique sentence")  # pragma: no cover


def articles(n_sentences: int, seed: int = 0) -> Iterator[tuple[str, str]]:
    """(id, text) of articles holding ``n_sentences`` generated sentences in all."""
    source = SentenceSource(seed)
    rng = random.Random(seed + 1)
    left = n_sentences
    number = 0
    while left > 0:
        size = min(left, rng.randint(8, 40))
        left -= size
        paragraphs: list[str] = []
        while size > 0:
            k = min(size, rng.choice([1, 2, 2, 3]))
            size -= k
            paragraphs.append(" ".join(next(source) for _ in range(k)))
        number += 1
        yield f"article-{number:06d}", "\n\n".join(paragraphs) + "\n"


def write_corpus(n_sentences: int, target: Path, seed: int = 0) -> Path:
    """Write a corpus as a folder of .txt articles, or as one .jsonl when ``target`` ends so."""
    target = Path(target)
    if target.suffix == ".jsonl":
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".jsonl.part")
        with open(tmp, "w", encoding="utf-8") as handle:
            for doc_id, text in articles(n_sentences, seed):
                handle.write(json.dumps({"id": doc_id, "text": text}, ensure_ascii=False) + "\n")
        tmp.replace(target)
        return target
    target.mkdir(parents=True, exist_ok=True)
    for doc_id, text in articles(n_sentences, seed):
        (target / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    return target


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: python benchmarks/corpus.py N_SENTENCES TARGET(.jsonl|folder) [SEED]")
    path = write_corpus(
        int(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) == 4 else 0
    )
    print(path)
