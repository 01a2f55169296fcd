"""The actors registry: roles that stand for an actor, and the entries it refuses."""

import pytest

from framing.actors import ActorsError, parse_actors
from framing.attribution import attribute
from framing.cli import app
from framing.text import Document

HEAD = '[meta]\nname = "t"\nsides = ["north", "south"]\n\n[sides]\nnorth = ["Northern"]\n\n'


def _registry(body: str):
    return parse_actors("t.toml", (HEAD + body).encode())


def test_actor_listed_twice_with_different_sides_is_an_error():
    body = (
        '[[actors]]\nname = "Ana Brill"\nside = "north"\n\n'
        '[[actors]]\nname = "Ana Brill"\nside = "south"\n'
    )
    with pytest.raises(ActorsError, match="Ana Brill: listed twice with sides 'north' and 'south'"):
        _registry(body)


def test_actor_listed_twice_is_an_error():
    body = '[[actors]]\nname = "Ana Brill"\nside = "north"\n\n' * 2
    with pytest.raises(ActorsError, match="listed twice"):
        _registry(body)


def test_alias_equal_to_a_side_word_of_another_side_is_an_error():
    body = '[[actors]]\nname = "Southland"\nside = "south"\naliases = ["Northern"]\n'
    with pytest.raises(ActorsError, match="alias 'Northern': also a \\[sides\\] word of 'north'"):
        _registry(body)


def test_alias_equal_to_a_side_word_of_its_own_side_is_fine():
    body = '[[actors]]\nname = "Northland"\nside = "north"\naliases = ["Northern"]\n'
    assert _registry(body).find("Northern").name == "Northland"


def test_role_shared_by_two_actors_is_an_error():
    body = (
        '[[actors]]\nname = "Ana Brill"\nside = "north"\nroles = ["Harbour Master"]\n\n'
        '[[actors]]\nname = "Ivo Tamm"\nside = "south"\nroles = ["harbour master"]\n'
    )
    with pytest.raises(ActorsError, match="role 'harbour master': also a role of Ana Brill"):
        _registry(body)


def test_bad_registry_is_one_line_per_problem_on_the_cli(tmp_path, runner):
    actors = tmp_path / "a.toml"
    actors.write_text(HEAD + '[[actors]]\nname = "Ana Brill"\nside = "north"\n\n' * 2)
    text = tmp_path / "t.txt"
    text.write_text('"We sail at dawn," Ana Brill said.\n')
    result = runner.invoke(app, ["actors", str(text), "--actors", str(actors)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert lines and all(line.startswith("framing: error: ") for line in lines)
    assert "listed twice" in result.stderr and "Traceback" not in result.output


def test_a_registry_role_stands_for_its_holder():
    registry = _registry(
        '[[actors]]\nname = "Ana Brill"\nside = "north"\nroles = ["Harbour Master"]\n'
    )
    doc = Document("t", 'The harbour master said the port would stay "closed until spring".')
    spans = attribute(doc, registry=registry).spans
    assert {(s.speaker, s.side) for s in spans} == {("Ana Brill", "north")}


def test_a_name_the_document_gives_the_office_comes_before_the_registry():
    registry = _registry(
        '[[actors]]\nname = "Ana Brill"\nside = "north"\nroles = ["Harbour Master"]\n'
    )
    text = (
        "Harbour Master Oskar Lind opened the meeting. Later the harbour master said the "
        'port would stay "closed until spring".'
    )
    spans = attribute(Document("t", text), registry=registry).spans
    assert {s.speaker for s in spans} == {"Oskar Lind"}


DATED = """
[[actors]]
name = "Ana Ferro"
side = "north"
roles = [{ office = "Harbour Minister", from = 2020-01-01, until = 2023-06-01 }]

[[actors]]
name = "Ben Osei"
side = "north"
roles = [{ office = "Harbour Minister", from = "2023-06-01" }]
"""


def _harbour_minister(registry, text: str, doc_id: str = "t") -> str | None:
    found = attribute(Document(doc_id, text, source=doc_id), registry=registry)
    return found.spans[0].speaker


def test_an_office_that_changed_hands_names_its_holder_on_the_documents_date():
    registry = _registry(DATED)
    quote = '"The port stays open," the Harbour Minister said.'
    assert _harbour_minister(registry, "Port Vila, 3 March 2022. " + quote) == "Ana Ferro"
    assert _harbour_minister(registry, "June 2, 2023 - " + quote) == "Ben Osei"
    assert _harbour_minister(registry, quote, "news/2021-05-04_port.txt") == "Ana Ferro"
    # no date: the office stays as written rather than a guess at its holder
    assert _harbour_minister(registry, quote) == "Harbour Minister"


def test_the_built_in_registry_dates_offices_that_changed_hands():
    from framing.actors import load_actors
    from framing.text import Document as Doc

    registry = load_actors()
    quote = '"We will hold the line," the Ukrainian Defence Minister said.'
    for day, holder in (("1 March 2023", "Oleksii Reznikov"), ("1 March 2024", "Rustem Umerov")):
        found = attribute(Doc("t", f"Kyiv, {day}. {quote}"), registry=registry)
        assert found.spans[0].speaker == holder
    quote = '"We are advancing," the Russian Defence Minister said.'
    found = attribute(Doc("t", f"Moscow, 20 June 2024. {quote}"), registry=registry)
    assert found.spans[0].speaker == "Andrei Belousov"


@pytest.mark.parametrize(
    "role, problem",
    [
        ('{ office = "Harbour Minister", from = 2020-01-01 }', "same period"),
        ('{ office = "Harbour Minister", from = "soon" }', "must be a date"),
        ('{ office = "Harbour Minister", from = 2020-01-01, until = 2019-01-01 }', "after"),
        ('{ office = "Harbour Minister", since = 2020-01-01 }', "unknown key 'since'"),
    ],
)
def test_bad_role_dates_are_errors(role, problem):
    body = DATED + f'\n[[actors]]\nname = "Cy Dunn"\nside = "north"\nroles = [{role}]\n'
    with pytest.raises(ActorsError, match=problem):
        _registry(body)


@pytest.mark.parametrize(
    "name, text, expected",
    [
        ("news/kremlin_2022-03-14.txt", "No date here.", "2022-03-14"),
        ("a.txt", "KYIV, 14 March 2022 (Newswire) - ...", "2022-03-14"),
        ("a.txt", "Updated Sept. 5th, 2024 10:15 GMT\nbody", "2024-09-05"),
        ("a.txt", "Title\n\n\n\n\n\nMarch 3, 2023, below the first five lines", None),
        ("a.txt", "It was 31 February 2023, they said.", None),
    ],
)
def test_a_documents_date(name, text, expected):
    from framing.attribution.dates import document_date

    found = document_date(Document(name, text, source=name))
    assert (found.isoformat() if found else None) == expected
