"""framing.records: one definition of a record's group and side for the profile and the map."""

from __future__ import annotations

import numpy as np

from framing.maps import point_rows
from framing.pipeline import score_documents
from framing.profile import profile_records
from framing.records import group_of, group_sides, side_of
from framing.text import Document


def test_a_channel_the_registry_places_is_its_side_in_the_profile_and_on_the_map(real_scorer):
    # --speaker-field: the row's narration is the channel's voice, and the registry puts
    # the Russian Defense Ministry on russia; the profile and the map must both say russia.
    docs = [
        Document(id="p1", text="Our troops liberated Izium.", speaker="Russian Defense Ministry"),
        Document(id="p2", text="Talks resumed in Istanbul."),
    ]
    records = list(score_documents(docs, real_scorer))
    channel = next(r for r in records if r["doc"] == "p1")
    assert (channel["voice_kind"], channel["side"]) == ("author", "russia")
    groups = {row["group"] for row in profile_records(records, by="side", n_boot=10)}
    assert groups == {"russia", "author"}
    points = point_rows(records, np.zeros((len(records), 2)), [0] * len(records))
    assert {p["doc"]: p["side"] for p in points} == {"p1": "russia", "p2": "author"}
    assert group_sides(records, "speaker")["Russian Defense Ministry"] == "russia"
    assert group_sides(records, "side") == {"russia": "russia", "author": "author"}


def test_side_and_group_of_every_voice_kind():
    journalist = {"speaker": "author", "side": "unknown", "voice_kind": "author"}
    quoted = {"speaker": "a soldier", "side": None, "voice_kind": "direct"}
    lavrov = {"speaker": "Sergey Lavrov", "side": "russia", "voice_kind": "reported"}
    assert [side_of(r) for r in (journalist, quoted, lavrov)] == ["author", "unknown", "russia"]
    assert [group_of(r, "speaker") for r in (journalist, quoted, lavrov)] == [
        "author",
        "a soldier",
        "Sergey Lavrov",
    ]
    assert [group_of(r, "side") for r in (journalist, quoted, lavrov)] == [
        "author",
        "unknown",
        "russia",
    ]
