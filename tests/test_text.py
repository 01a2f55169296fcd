"""Segmentation and quotation spans."""

from framing.text import Document, find_quotes, inside_quote, segment


def _segment(text: str) -> list[str]:
    return [s.text for s in segment(Document("d", text))]


def test_offsets_slice_the_original_text(seed_text):
    doc = Document("seed", seed_text)
    sentences = segment(doc)
    assert len(sentences) > 30
    for s in sentences:
        assert seed_text[s.start : s.end] == s.text
    assert [s.sentence_id for s in sentences] == list(range(len(sentences)))


def test_abbreviations_and_titles_do_not_split():
    text = (
        "Gen. Mark Milley briefed the U.S. Congress on Feb. 24. Maj. Gen. Igor Konashenkov "
        "spoke later. Dr. J. Smith of the U.K. agreed."
    )
    assert _segment(text) == [
        "Gen. Mark Milley briefed the U.S. Congress on Feb. 24.",
        "Maj. Gen. Igor Konashenkov spoke later.",
        "Dr. J. Smith of the U.K. agreed.",
    ]


def test_sentence_ends_before_a_quote_and_after_closing_marks():
    text = 'He left. "We will win," she said. Then silence! (It was over.) Done?'
    assert _segment(text) == [
        "He left.",
        '"We will win," she said.',
        "Then silence!",
        "(It was over.)",
        "Done?",
    ]


def test_no_break_spaces_from_scraped_pages_are_white_space_between_sentences():
    text = (
        "He said so.\xa0\n\xa0\u201cI don\u2019t care. He was the founder.\u201d "
        "Then he left.\u202fIt rained."
    )
    assert _segment(text) == [
        "He said so.",
        "\u201cI don\u2019t care.",
        "He was the founder.\u201d",
        "Then he left.",
        "It rained.",
    ]


def test_lowercase_after_period_does_not_split_noisy_text():
    # Machine-translated input often has stray periods ("liberators. in major cities").
    assert len(_segment("They were welcomed as liberators. in major cities of Ukraine.")) == 1


def test_paragraphs_and_headings_are_separate():
    text = "Talks in Antalya\nThe ministers met on Thursday.\n\nNo progress was made."
    sentences = segment(Document("d", text))
    assert [s.text for s in sentences] == [
        "Talks in Antalya",
        "The ministers met on Thursday.",
        "No progress was made.",
    ]
    assert sentences[0].paragraph != sentences[1].paragraph != sentences[2].paragraph


def test_hard_wrapped_lines_are_joined_into_one_sentence():
    text = (
        "The Russian military appears to be adjusting its tactics in anticipation\n"
        "of a protracted war."
    )
    assert len(_segment(text)) == 1


def test_multi_sentence_quote_is_traceable_to_every_sentence(seed_text):
    doc = Document("seed", seed_text)
    sentences = segment(doc)
    quotes = find_quotes(seed_text, sentences)
    kuleba = next(q for q in quotes if q.text.startswith("Ukraine is strong"))
    assert len(kuleba.sentence_ids) == 3
    assert seed_text[kuleba.inner_start : kuleba.inner_end] == kuleba.text
    for sid in kuleba.sentence_ids:
        s = sentences[sid]
        assert s.start < kuleba.inner_end and kuleba.inner_start < s.end


def test_scare_quoted_term_is_a_quote(seed_text):
    quotes = find_quotes(seed_text)
    terms = [q.text.strip(" ,") for q in quotes]
    assert terms.count("special military operation") == 2
    assert "liberate" in terms
    assert "gang of neo-Nazis and drug addicts" in terms


def test_straight_quotes_apostrophes_and_nesting():
    text = "He said \"the 'special operation' isn't a war\" and left. It's Kyiv's turn."
    quotes = find_quotes(text)
    outer = [q for q in quotes if q.depth == 1]
    inner = [q for q in quotes if q.depth == 2]
    assert [q.text for q in outer] == ["the 'special operation' isn't a war"]
    assert [q.text for q in inner] == ["special operation"]
    # apostrophes (isn't, It's, Kyiv's) open no quote
    assert len(quotes) == 2
    start = text.index("special")
    assert inside_quote(start, start + 7, quotes).depth == 2


def test_an_elision_apostrophe_opens_no_quote():
    # "asked ‘em", "‘til": a left single mark for the letters left out, not a nested quote
    text = "“Nobody says no if I asked ‘em. They’ve helped ‘til now,” he said. He said ‘no’."
    quotes = find_quotes(text)
    assert [(q.text, q.depth) for q in quotes] == [
        ("Nobody says no if I asked ‘em. They’ve helped ‘til now,", 1),
        ("no", 1),
    ]


def test_a_straight_quote_closes_after_a_nested_one_and_a_space():
    text = '"They treat it like, \'Oh, this is important,\' " Magel said. "No big deal."'
    quotes = find_quotes(text)
    assert [q.text for q in quotes if q.depth == 1] == [
        "They treat it like, 'Oh, this is important,' ",
        "No big deal.",
    ]


def test_an_opening_curly_mark_typed_for_the_closing_one():
    text = "\u201cIt is unusual,\u201c said Lara Noble. \u201cIt is hard.\u201d"
    assert [q.text for q in find_quotes(text)] == ["It is unusual,", "It is hard."]


def test_unclosed_quote_ends_at_paragraph_and_is_flagged():
    text = "“We will fight on the beaches and we will never\n\nThe next paragraph is narration."
    quotes = find_quotes(text)
    assert len(quotes) == 1
    assert not quotes[0].closed
    assert quotes[0].inner_end <= text.index("\n\n")


def test_guillemets_and_german_quotes():
    quotes = find_quotes("Он сказал «спецоперация» и „Sonderoperation“.")
    assert [q.text for q in quotes] == ["спецоперация", "Sonderoperation"]


def test_stray_closing_mark_is_ignored():
    assert find_quotes("A stray ” mark and nothing else.") == []
