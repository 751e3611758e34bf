#!/usr/bin/python3
"""Plot one pocsim run: citizens by state over time, and the grid at the peak of activity.

Usage: /usr/bin/python3 analysis/plot_run.py RUN.h5 [-o FIGURE.png]

Reads the layout described in docs/outputs.md. Needs Debian's python3-h5py, python3-numpy and
python3-matplotlib (installed by ./build.sh).
"""
import argparse
import os
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.colors import ListedColormap  # noqa: E402
import numpy as np  # noqa: E402

CELL_COLOURS = ["#ffffff", "#9ecae1", "#de2d26", "#636363", "#08306b"]  # empty quiet active jailed cop
CELL_NAMES = ["empty", "quiet", "active", "jailed", "cop"]


def load(path):
    with h5py.File(path, "r") as f:
        if f.attrs.get("complete", 0) != 1:
            raise SystemExit(f"{path}: the run is not marked complete")
        series = {name: f["timeseries"][name][:] for name in f["timeseries"]}
        snaps = (f["snapshots/step"][:], f["snapshots/cells"][:]) if "snapshots/cells" in f else None
        meta = {k: f.attrs[k] for k in ("scenario_path", "seed", "git_commit")}
    return series, snaps, meta


def plot(path, out):
    series, snaps, meta = load(path)
    fig = plt.figure(figsize=(11, 4.2))
    ax = fig.add_axes([0.06, 0.14, 0.55, 0.74])
    step = series["step"]
    for name, colour in (("active", "#de2d26"), ("jailed", "#636363"), ("quiet", "#9ecae1")):
        ax.plot(step, series[name], label=name, color=colour, lw=1.2)
    ax.set_xlabel("step")
    ax.set_ylabel("citizens")
    ax.legend(loc="upper right", frameon=False)
    ax.set_title(f"{meta['scenario_path']}  (seed {meta['seed']}, commit {str(meta['git_commit'])[:10]})", fontsize=9)
    if snaps is not None and len(snaps[0]):
        snap_steps, cells = snaps
        active_per_snapshot = (cells == 2).sum(axis=(1, 2))
        i = int(np.argmax(active_per_snapshot))
        gax = fig.add_axes([0.66, 0.14, 0.3, 0.74])
        gax.imshow(cells[i], cmap=ListedColormap(CELL_COLOURS), vmin=-0.5, vmax=4.5, interpolation="nearest")
        gax.set_title(f"grid at step {snap_steps[i]} ({active_per_snapshot[i]} active)", fontsize=9)
        gax.set_xticks([])
        gax.set_yticks([])
        handles = [plt.Rectangle((0, 0), 1, 1, facecolor=c, edgecolor="#888888", lw=0.5) for c in CELL_COLOURS]
        gax.legend(handles, CELL_NAMES, loc="upper center", bbox_to_anchor=(0.5, -0.02), ncol=5, fontsize=7,
                   frameon=False, handlelength=1)
    fig.savefig(out, dpi=110)
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run", help="HDF5 file written by 'pocsim run'")
    parser.add_argument("-o", "--output", help="figure to write (default: RUN with .png)")
    args = parser.parse_args(argv)
    out = args.output or args.run.rsplit(".", 1)[0] + ".png"
    try:
        print(plot(args.run, out))
    except Exception as e:  # noqa: BLE001 -- a damaged or foreign file: said so, without a traceback
        if os.environ.get("POCSIM_DEBUG"):
            raise
        print(f"plot_run: error: {args.run} cannot be read as a run pocsim writes ({type(e).__name__}: {e})\n"
              f"  hint: give a complete file written by 'pocsim run'; POCSIM_DEBUG=1 shows the traceback", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
