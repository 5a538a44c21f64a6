"""docs/scaling.png from the scaling run's figures: one small log-log panel per measure, its
anchor dashed beside it and a grey line of linear growth from its first point, so a measure that
grows faster than the cases it reads rises above the grey line. Each panel's title says the
ratio to the anchor at the largest size and the cost per case from 100,000 to the largest.

    python3 benchmarks/scaling_chart.py [docs/scaling.json] [docs/scaling.png]
    python3 benchmarks/scaling_chart.py --table [docs/scaling.json]   # growth as Markdown
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

# Panels, in reading order: (measure as bench_local names it, less any " of N pages").
PANELS = (
    "launch",
    "list, all rows",
    "export, all cases",
    "save one report, CPU",
    "caseload page, middle",
    "caseload page, last",
    "last page by OFFSET (the old way)",
    "count, open",
    "count, officer, open",
    "count, serious, open",
    "count, kind of ASB (noise)",
    "count, search (Murphy)",
)
COLUMNS = 4
MEASURE, ANCHOR, LINEAR = "#1f5fa8", "#c8501e", "#9a9a9a"


def series(results: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Each charted measure's rows by cases stored (the app's and the store alone's)."""
    found: dict[str, list[dict[str, Any]]] = {}
    for row in results:
        name = re.sub(r" of [\d,]+$", "", row["measure"])  # "caseload page, last of 500"
        if name in PANELS and row["value"] > 0 and row["anchor"] > 0:
            found.setdefault(name, []).append(row)
    for rows in found.values():
        rows.sort(key=lambda r: r["cases"])
    return found


def growth(rows: list[dict[str, Any]], since: int = 100_000) -> float | None:
    """Cost per case at the largest size over cost per case at `since` (1.0 is linear)."""
    base = next((r for r in rows if r["cases"] == since), None)
    last = rows[-1]
    if base is None or last["cases"] <= since:
        return None
    return float((last["value"] / last["cases"]) / (base["value"] / base["cases"]))


def short(cases: float) -> str:
    """1,000 as 1k, 400,124 as 400k, 1,000,000 as 1M."""
    return f"{cases / 1e6:.3g}M" if cases >= 1e6 else f"{cases / 1000:.3g}k"


def title_of(name: str, rows: list[dict[str, Any]]) -> str:
    last = rows[-1]
    said = f"{name}\n{last['ratio']:.1f}x its anchor at {short(last['cases'])}"
    per_case = growth(rows)
    if per_case is not None:
        said += f"\nper case, 100k to {short(last['cases'])}: {per_case:.2f}x"
    return said


def draw(results: list[dict[str, Any]], path: Path, subtitle: str = "") -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    found = series(results)
    names = [n for n in PANELS if n in found]
    if not names:
        return
    rows_of_panels = -(-len(names) // COLUMNS)
    figure, axes = pyplot.subplots(
        rows_of_panels, COLUMNS, figsize=(16, 3.9 * rows_of_panels + 1.4), squeeze=False
    )
    cases_label = FuncFormatter(lambda x, _: short(x))
    for n, axis in enumerate(axes.flat):
        if n >= len(names):
            axis.set_visible(False)
            continue
        rows = found[names[n]]
        xs = [r["cases"] for r in rows]
        scale = 1000 if rows[0].get("unit") == "s" else 1
        values = [r["value"] * scale for r in rows]
        anchors = [r["anchor"] * scale for r in rows]
        axis.plot(xs, values, "-o", color=MEASURE, lw=2, ms=5)
        axis.plot(xs, anchors, "--", color=ANCHOR, lw=1.5)
        stores = [i for i, r in enumerate(rows) if r.get("scope") == "store"]
        axis.plot([xs[i] for i in stores], [values[i] for i in stores], "o", ms=9, mfc="white",
                  mec=MEASURE, mew=2)  # fmt: skip
        axis.plot([xs[0], xs[-1]], [values[0], values[0] * xs[-1] / xs[0]], ":", color=LINEAR,
                  lw=1.5)  # fmt: skip
        axis.set_xscale("log")
        axis.set_yscale("log")
        # The data sets the scale; the grey line leaves the panel where it outgrows them.
        low, high = min(values + anchors), max(values + anchors)
        axis.set_ylim(low / 2, max(high * 2, low * 20))
        subs = (1.0,) if high / low > 500 else (1.0, 2.0, 5.0)  # 1-2-5 steps unless crowded
        axis.yaxis.set_major_locator(LogLocator(base=10, subs=subs, numticks=12))
        axis.yaxis.set_major_formatter(FuncFormatter(lambda y, _: f"{y:g}"))
        axis.yaxis.set_minor_formatter(NullFormatter())
        axis.set_xticks(xs)
        axis.xaxis.set_major_formatter(cases_label)
        axis.xaxis.set_minor_formatter(FuncFormatter(lambda *_: ""))
        axis.set_title(title_of(names[n], rows), fontsize=10, loc="left")
        axis.grid(True, which="major", color="#e4e4e4")
        axis.tick_params(labelsize=9)
        if n % COLUMNS == 0:
            axis.set_ylabel("median time, ms (log)", fontsize=9)
        if n >= len(names) - COLUMNS:
            axis.set_xlabel("cases stored (log)", fontsize=9)
    key = [
        Line2D([], [], color=MEASURE, marker="o", lw=2, label="the measure (median)"),
        Line2D([], [], color=ANCHOR, ls="--", lw=1.5, label="its anchor, same run"),
        Line2D(
            [],
            [],
            color=MEASURE,
            marker="o",
            ls="",
            ms=9,
            mfc="white",
            mew=2,
            label="the store alone (rows repeated to 1M)",
        ),
        Line2D([], [], color=LINEAR, ls=":", lw=1.5, label="linear growth from the first point"),
    ]
    figure.legend(handles=key, loc="lower center", ncol=4, frameon=False, fontsize=10)
    figure.suptitle(f"ASB Desktop scaling run{subtitle}", fontsize=13, x=0.01, ha="left")
    figure.tight_layout(rect=(0, 0.04, 1, 0.97))
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=90)
    pyplot.close(figure)


def subtitle_of(meta: dict[str, Any]) -> str:
    said = [meta.get("at", ""), f"commit {meta['commit']}" if meta.get("commit") else "",
            meta.get("machine", "")]  # fmt: skip
    if "loads" in meta:
        low, high = min(meta["loads"]), max(meta["loads"])
        said.append(f"load average {low:.1f} to {high:.1f}")
    return ": " + ", ".join(s for s in said if s) if any(said) else ""


def table(results: list[dict[str, Any]]) -> str:
    """Markdown: each measure at its two largest sizes, its ratio there, and the cost per case
    at the larger over the smaller (1.0 is linear growth; below it, less than linear), and the
    ratio's own change (the anchor's growth taken out, and with it most of the load's)."""
    lines = [
        "| measure | cases | median | anchor | ratio | cases | median | anchor | ratio "
        "| per case, larger / smaller | ratio, larger / smaller |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    found = series(results)
    for name in (n for n in PANELS if n in found):
        rows = found[name]
        if len(rows) < 2:
            continue
        small, large = rows[-2], rows[-1]
        per_case = (large["value"] / large["cases"]) / (small["value"] / small["cases"])
        cells = [name]
        for row in (small, large):
            unit = row.get("unit", "ms")
            cells += [f"{row['cases']:,}", f"{row['value']:,.1f} {unit}",
                      f"{row['anchor']:,.1f} {unit}", f"{row['ratio']:.2f}x"]  # fmt: skip
        drift = large["ratio"] / small["ratio"]
        lines.append("| " + " | ".join([*cells, f"{per_case:.2f}", f"{drift:.2f}"]) + " |")
    return "\n".join(lines)


def main() -> None:
    if sys.argv[1:2] == ["--table"]:
        source = Path(sys.argv[2] if len(sys.argv) > 2 else "docs/scaling.json")
        print(table(json.loads(source.read_text())["results"]))
        return
    source = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/scaling.json")
    target = Path(sys.argv[2] if len(sys.argv) > 2 else source.with_suffix(".png"))
    found = json.loads(source.read_text())
    draw(found["results"], target, subtitle_of(found))


if __name__ == "__main__":
    main()
