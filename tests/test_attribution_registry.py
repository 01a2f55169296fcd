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
