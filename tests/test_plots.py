"""framing.plots: figures from plain rows -- sizes, content, labels that neither overlap nor
leave the figure, and a self-contained interactive page."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PIL import Image

from framing import plots
from framing.maps import cluster_regions
from framing.plots.style import _cluster_name

FRAMES = ["special_operation", "invasion", "liberation", "occupation", "negotiation"]
SIDES = ["russia", "ukraine", "west", "other", "unknown", "author"]


def make_points(n: int = 400, k: int = 6, seed: int = 0) -> tuple[list[dict], list[dict]]:
    """``n`` sentences in ``k`` blobs, with speakers, sides and frames; and cluster rows."""
    rng = np.random.default_rng(seed)
    centres = rng.uniform(-10, 10, size=(k, 2))
    cluster = np.arange(n) % k
    xy = centres[cluster] + rng.normal(scale=0.8, size=(n, 2))
    cluster[::17] = -1
    points = [
        {
            "doc": f"doc{i % 5}",
            "sentence": i,
            "speaker": f"Speaker {i % 13}",
            "side": SIDES[i % len(SIDES)],
            "x": float(x),
            "y": float(y),
            "cluster": int(c),
            "top_frame": None if i % 11 == 0 else FRAMES[i % len(FRAMES)],
            "text": f"Sentence {i} says <something> & more about the war, at some length.",
            "top_frames": [(FRAMES[i % len(FRAMES)], 0.5)],
        }
        for i, ((x, y), c) in enumerate(zip(xy, cluster, strict=True))
    ]
    clusters = [
        {
            "cluster": c,
            "size": int((cluster == c).sum()),
            "x": float(centres[c, 0]),
            "y": float(centres[c, 1]),
            "frames": [{"frame": FRAMES[c % 5], "share": 0.5}],
            "keywords": ["shelling", "airstrikes", "convoys", "more"],
        }
        for c in range(k)
    ]
    return points, clusters


def profile_rows(groups: dict[str, int]) -> list[dict]:
    rng = np.random.default_rng(1)
    rows = []
    for g, n in groups.items():
        for f in FRAMES:
            m = float(rng.uniform(0, 0.6))
            rows.append(
                {
                    "group": g,
                    "frame": f,
                    "n": n,
                    "mean": m,
                    "mean_low": m - 0.05,
                    "mean_high": m + 0.05,
                    "top_share": 0.2,
                    "top_share_low": 0.1,
                    "top_share_high": 0.3,
                    "small_sample": n < 5,
                }
            )
    return rows


def axis_rows(groups: dict[str, int]) -> list[dict]:
    rng = np.random.default_rng(2)
    rows = []
    for g, n in groups.items():
        for a in ("operation_vs_invasion", "liberation_vs_occupation"):
            m = float(rng.normal(0, 0.05))
            rows.append(
                {
                    "group": g,
                    "axis": a,
                    "n": n,
                    "mean": m,
                    "low": m - 0.02,
                    "high": m + 0.02,
                    "small_sample": n < 5,
                }
            )
    return rows


GROUPS = {
    "author": 300,
    "Sergei Lavrov": 40,
    "Dmytro Kuleba": 35,
    "Antony Blinken": 20,
    "a spokesman for the Russian Defense Ministry": 12,
    "Vladimir Putin": 4,
    "Olaf Scholz": 3,
    "lone voice": 1,
}
GROUP_SIDES = {
    "author": "author",
    "Sergei Lavrov": "russia",
    "Dmytro Kuleba": "ukraine",
    "Antony Blinken": "west",
    "a spokesman for the Russian Defense Ministry": "russia",
    "Vladimir Putin": "russia",
    "Olaf Scholz": "west",
    "lone voice": "other",
}


def png(fig) -> Image.Image:
    buffer = io.BytesIO()
    plots.save_figure(fig, buffer, "png")
    buffer.seek(0)
    return Image.open(buffer)


def assert_not_blank(image: Image.Image) -> None:
    pixels = np.asarray(image.convert("L"), dtype=float)
    assert pixels.std() > 10, "the image is (nearly) one colour"
    assert (pixels < 128).mean() > 0.005, "hardly anything drawn"


def texts_of(fig):
    import matplotlib.text

    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    hidden = set()  # labels of ticks beyond the axis limits exist but are never drawn
    for ax in fig.axes:
        for axis, (lo, hi) in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim())):
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                if not min(lo, hi) <= tick.get_loc() <= max(lo, hi):
                    hidden.update({id(tick.label1), id(tick.label2)})
    for t in fig.findobj(matplotlib.text.Text):
        if t.get_visible() and t.get_text().strip() and id(t) not in hidden:
            patch = t.get_bbox_patch()
            box = patch.get_window_extent(renderer) if patch else t.get_window_extent(renderer)
            yield t, box


def assert_nothing_clipped(fig) -> None:
    """No title, label, legend entry or annotation reaches beyond the figure's edge."""
    edge = fig.bbox
    for t, box in texts_of(fig):
        assert box.x0 >= edge.x0 - 1 and box.x1 <= edge.x1 + 1, f"clipped: {t.get_text()!r}"
        assert box.y0 >= edge.y0 - 1 and box.y1 <= edge.y1 + 1, f"clipped: {t.get_text()!r}"


def assert_labels_apart(fig) -> None:
    import matplotlib.text

    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [
        (a.get_text(), a.get_bbox_patch().get_window_extent(renderer))
        for a in fig.axes[0].texts
        if isinstance(a, matplotlib.text.Annotation)
    ]
    assert boxes
    for i, (ti, bi) in enumerate(boxes):
        for tj, bj in boxes[i + 1 :]:
            assert not bi.overlaps(bj), f"labels overlap: {ti!r} and {tj!r}"


@pytest.mark.parametrize("color_by", plots.COLOR_BY)
def test_map_png_is_page_sized_and_drawn(color_by):
    points, clusters = make_points()
    regions = cluster_regions(
        np.array([[p["x"], p["y"]] for p in points]), [p["cluster"] for p in points]
    )
    fig = plots.map_figure(
        points,
        clusters,
        regions,
        color_by=color_by,
        frame_order=FRAMES,
        title="Rhetoric map: test",
        subtitle="400 sentences",
    )
    image = png(fig)
    assert image.size == (2000, 1400)  # 10 x 7 in at 200 dpi
    assert_not_blank(image)
    assert_nothing_clipped(fig)
    assert_labels_apart(fig)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    groups, colors = plots.color_groups(points, color_by, FRAMES)
    assert len(legend) == len(colors)


def test_crowded_cluster_labels_are_spread():
    """Twelve clusters centred almost on one spot: their labels must still all be apart."""
    points, clusters = make_points(600, 12)
    for c in clusters:
        c["x"], c["y"] = 0.1 * c["cluster"], 0.0
    fig = plots.map_figure(points, clusters, title="crowded")
    assert_labels_apart(fig)
    assert_nothing_clipped(fig)


def test_few_clusters_are_named_on_the_map():
    points, clusters = make_points(400, 3)
    fig = plots.map_figure(points, clusters, frame_labels={"invasion": "Invasion"})
    names = [a.get_text() for a in fig.axes[0].texts]
    assert "C1 · Invasion 50%\nshelling, airstrikes, convoys" in names
    assert len(fig.legends) == 1  # no key


def _legend_boxes(fig):
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    return [legend.get_window_extent(renderer) for legend in fig.legends]


@pytest.mark.parametrize("color_by", ["side", "top_frame"])
def test_crowded_maps_tag_clusters_and_name_them_in_a_key(color_by):
    """20 clusters: the map carries short tags, a key beside it the names; the key never
    runs into the colour legend, even a long one (19 frames)."""
    points, clusters = make_points(2000, 20)
    for i, p in enumerate(points):
        p["top_frame"] = f"frame_{i % 19}" if i % 7 else None
    fig = plots.map_figure(points, clusters, color_by=color_by, title="crowded")
    tags = [a.get_text() for a in fig.axes[0].texts]
    assert sorted(tags) == sorted(f"C{c}" for c in range(20))
    assert len(fig.legends) == 2
    colours, key = _legend_boxes(fig)
    assert not colours.overlaps(key)
    entries = [t.get_text() for t in fig.legends[1].get_texts()]
    assert entries[0].startswith("C0   ") and "shelling, airstrikes" in entries[0]
    assert entries[-1].endswith("smaller clusters (tag only)")
    assert len(entries) - 1 <= plots.MAX_CLUSTER_NAMES
    assert_labels_apart(fig)
    assert_nothing_clipped(fig)
    assert_not_blank(png(fig))


def test_long_titles_wrap_instead_of_clipping():
    points, clusters = make_points(50, 2)
    fig = plots.map_figure(points, clusters, title="A rhetoric map " * 12, subtitle="s " * 90)
    assert_nothing_clipped(fig)


def test_map_svg_is_valid_and_keeps_text_as_text():
    points, clusters = make_points(3000, 5)
    fig = plots.map_figure(points, clusters, title="Rhetoric map: big")
    buffer = io.BytesIO()
    plots.save_figure(fig, buffer, "svg")
    svg = buffer.getvalue()
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    assert b"Rhetoric map: big" in svg or b"<text" in svg or b"glyph" in svg
    # 3,000 points are rasterised into one image: the SVG stays small
    assert len(svg) < 1_500_000
    assert b"<image" in svg


def test_same_data_same_png_bytes():
    points, clusters = make_points()
    first = io.BytesIO()
    second = io.BytesIO()
    plots.save_figure(plots.map_figure(points, clusters), first, "png")
    plots.save_figure(plots.map_figure(points, clusters), second, "png")
    assert first.getvalue() == second.getvalue()


def test_heatmap_marks_small_samples_and_leaves_out_single_sentences():
    fig = plots.heatmap_figure(profile_rows(GROUPS), group_sides=GROUP_SIDES, min_n=5)
    image = png(fig)
    assert image.size[0] == 2000 and 900 <= image.size[1] <= 2000
    assert_not_blank(image)
    assert_nothing_clipped(fig)
    rows = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert rows[0] == "author  (n=300)"
    assert any(r.startswith("Vladimir Putin") and r.endswith("*") for r in rows)
    assert not any(r.startswith("Sergei Lavrov") and r.endswith("*") for r in rows)
    assert not any("lone voice" in r for r in rows)
    footnote = fig.get_supxlabel()
    assert "1 speaker group with a single sentence" in footnote and "hatched" in footnote


def test_heatmap_names_the_author_and_colours_names_by_side():
    rows = profile_rows({"Mark Episkopos": 20, "Sergei Lavrov": 8})
    fig = plots.heatmap_figure(
        rows, group_sides={"Mark Episkopos": "author", "Sergei Lavrov": "russia"}
    )
    labels = fig.axes[0].get_yticklabels()
    assert labels[0].get_text().startswith("Mark Episkopos (author)")
    assert labels[1].get_color() == plots.SIDE_COLORS["russia"]


def test_axes_figure_one_point_per_actor_with_intervals():
    fig = plots.axes_figure(
        axis_rows(GROUPS),
        x_axis="operation_vs_invasion",
        y_axis="liberation_vs_occupation",
        group_sides=GROUP_SIDES,
        poles={"operation_vs_invasion": ("special_operation", "invasion")},
    )
    image = png(fig)
    assert image.size == (2000, 1400)
    assert_not_blank(image)
    assert_nothing_clipped(fig)
    assert_labels_apart(fig)
    ax = fig.axes[0]
    names = [a.get_text() for a in ax.texts]
    assert len(names) == 7  # "lone voice" (1 sentence) is left out
    assert "Vladimir Putin *" in names
    # error bars for the five groups with enough sentences, none for the two small ones
    bars = [c for c in ax.containers if c.__class__.__name__ == "ErrorbarContainer"]
    assert len(bars) == 5
    assert "← special_operation" in ax.get_xlabel() and "invasion →" in ax.get_xlabel()


def test_axes_figure_many_close_actors_labels_apart():
    groups = {f"Speaker number {i}": 50 - i for i in range(15)}
    rows = axis_rows(groups)
    for r in rows:  # all within a few hundredths: labels must still not overlap
        for key in ("mean", "low", "high"):
            r[key] *= 0.05
    fig = plots.axes_figure(rows, x_axis="operation_vs_invasion", y_axis="liberation_vs_occupation")
    assert_labels_apart(fig)
    assert_nothing_clipped(fig)


def test_side_colours_are_fixed():
    assert plots.SIDE_COLORS == {
        "russia": "#D55E00",
        "ukraine": "#0072B2",
        "west": "#009E73",
        "other": "#CC79A7",
        "unknown": "#A6A6A6",
        "author": "#3F3F3F",
    }
    points, _ = make_points(30)
    _, colors = plots.color_groups(points, "side")
    assert colors == {s: plots.SIDE_COLORS[s] for s in SIDES}


def test_speakers_beyond_ten_share_one_colour():
    points, _ = make_points(200)
    groups, colors = plots.color_groups(points, "speaker")
    assert len(colors) == 11 and "3 other speakers" in colors
    assert groups.count("3 other speakers") == sum(1 for p in points if p["speaker"] not in colors)


def test_unknown_colouring_is_refused():
    with pytest.raises(ValueError, match="color_by must be one of"):
        plots.color_groups([], "colour")


# --- the interactive page ------------------------------------------------------------------


def plotly_data(page: str) -> list[dict]:
    """The traces passed to Plotly.newPlot in a page."""
    call = page.index("Plotly.newPlot(")
    start = page.index("[", call)
    data, _ = json.JSONDecoder().raw_decode(page[start:])
    return data


def point_traces(page: str) -> list[dict]:
    """The traces that draw sentences (not the empty ones that only draw the legend)."""
    return [
        t
        for t in plotly_data(page)
        if "markers" in t.get("mode", "") and t.get("meta") != plots.LEGEND_KEY
    ]


def marker_points(page: str) -> int:
    return sum(len(t["x"]) for t in point_traces(page))


@pytest.mark.parametrize("n", [40, 6001])
def test_html_holds_one_point_per_sentence(n):
    points, clusters = make_points(n, 4)
    page = plots.map_html(points, clusters, title="Map", provenance={"tool": "framing"})
    assert marker_points(page) == n
    traces = point_traces(page)
    assert {t["type"] for t in traces} == ({"scatter"} if n < 5000 else {"scattergl"})
    # one trace (legend toggle) per side
    assert [t["legendgroup"] for t in traces] == SIDES


def test_html_legend_names_the_colours_on_show():
    points, clusters = make_points(60, 3)
    page = plots.map_html(points, clusters, color_by="cluster")
    keys = [t for t in plotly_data(page) if t.get("meta") == plots.LEGEND_KEY]
    shown = [t for t in keys if t.get("showlegend", True)]
    sides = [t for t in shown if not t["legendgroup"].startswith(plots.LEGEND_KEY)]
    assert [t["legendgroup"] for t in sides] == SIDES  # a side key toggles its points
    assert all(t["marker"]["color"] == plots.KEY_GREY for t in sides)
    colours = [t for t in shown if t["legendgroup"] == f"{plots.LEGEND_KEY}:cluster"]
    _, cluster_colors = plots.color_groups(points, "cluster")
    assert [(t["name"], t["marker"]["color"]) for t in colours] == list(cluster_colors.items())
    # each button recolours the points and shows its own key, and only that one
    n_points = len(point_traces(page))
    for button in plotly_layout(page)["updatemenus"][0]["buttons"]:
        kind = button["label"].removeprefix("colour: ").replace(" ", "_")
        update, indices = button["args"]
        assert len(indices) == len(update["showlegend"]) == len(update["marker.color"])
        for t, on in zip(keys, update["showlegend"][n_points:], strict=True):
            group = t["legendgroup"]
            assert on == (not group.startswith(plots.LEGEND_KEY) or group.endswith(":" + kind))


def plotly_layout(page: str) -> dict:
    """The layout passed to Plotly.newPlot in a page (the argument after the traces)."""
    call = page.index("Plotly.newPlot(")
    decoder = json.JSONDecoder()
    _, end = decoder.raw_decode(page, page.index("[", call))
    layout, _ = decoder.raw_decode(page, page.index("{", end))
    return layout


@pytest.mark.parametrize(("k", "crowded"), [(3, False), (20, True)])
def test_html_cluster_labels_are_annotations_with_a_toggle(k, crowded):
    points, clusters = make_points(600, k)
    layout = plotly_layout(plots.map_html(points, clusters, frame_labels={"invasion": "Invasion"}))
    notes = layout["annotations"]
    assert len(notes) == k
    label = next(a for a in notes if "Invasion" in a["hovertext"])
    assert label["hovertext"].startswith("C1 · Invasion 50%<br>shelling")
    assert label["text"] == ("C1" if crowded else label["hovertext"])
    toggles = [b["label"] for menu in layout["updatemenus"] for b in menu["buttons"]]
    assert "cluster labels off" in toggles and "colour: cluster" in toggles


def test_html_is_self_contained():
    points, clusters = make_points(40, 2)
    page = plots.map_html(points, clusters, title="Map")
    assert not re.search(r"<script[^>]+src=", page), "a script is fetched, not embedded"
    assert not re.search(r"<link[^>]+href=[\"']https?:", page)
    assert "plotly.js v" in page or "Plotly" in page
    assert len(page) > 1_000_000  # plotly.js itself is inside


def test_html_escapes_sentences_and_embeds_provenance():
    points, clusters = make_points(20, 2)
    points[0]["text"] = 'He wrote </script><script>alert("x")</script> in a post.'
    provenance = {"tool": "framing", "inputs": ["</script>.txt"]}
    page = plots.map_html(points, clusters, title="Map <1>", provenance=provenance)
    assert "<script>alert" not in page
    assert "<title>Map &lt;1&gt;</title>" in page
    block = re.search(
        r'<script type="application/json" id="framing-provenance">(.*?)</script>', page, re.S
    )
    assert json.loads(block.group(1)) == provenance


def test_html_hover_has_sentence_speaker_cluster_and_frames():
    points, clusters = make_points(12, 2)
    trace = plotly_data(plots.map_html(points, clusters))[0]
    assert "%{customdata[0]}" in trace["hovertemplate"]  # speaker
    speaker, side, cluster, frames, where = trace["customdata"][0]
    first = next(p for p in points if p["side"] == side)
    assert speaker == first["speaker"] and cluster == _cluster_name(first["cluster"])
    assert frames == "special_operation 0.50"
    assert "Sentence 0 says &lt;something&gt; &amp; more" in trace["hovertext"][0]
