"""Executes the example notebooks (analysis/notebooks/*.ipynb) with Debian's nbclient in a kernel of this
interpreter (the virtual environment the package is installed in), as a user would run them, and checks
that every cell ran and that the figures appear in place (images, not '<Figure size ...>' text).

Usage: python run_notebooks.py KERNEL_NAME NOTEBOOK... (environment: POCSIM_SOURCE, the repository)
"""
import sys

import nbclient
import nbformat


def main(kernel, paths):
    failures = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        client = nbclient.NotebookClient(nb, timeout=600, kernel_name=kernel, resources={"metadata": {"path": "."}})
        try:
            client.execute()
        except nbclient.exceptions.CellExecutionError as e:
            failures.append(f"{path}: a cell failed:\n{str(e)[:2000]}")
            continue
        outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
        images = sum("image/png" in o.get("data", {}) for o in outputs)
        texts = [o.get("data", {}).get("text/plain", "") for o in outputs]
        if images < 2:  # each notebook draws at least two
            failures.append(f"{path}: {images} figure(s) shown in place, expected at least 2")
        if any("<Figure size" in t and "image/png" not in o.get("data", {}) for o, t in zip(outputs, texts)):
            failures.append(f"{path}: a figure shown as text, not drawn")
        print(f"{path}: {len([c for c in nb.cells if c.cell_type == 'code'])} cells ran, {images} figures")
    for f in failures:
        print(f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
