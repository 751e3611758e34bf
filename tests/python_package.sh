#!/usr/bin/env bash
# The Python package installed as a user installs it (README: Python): a fresh virtual environment on
# Debian's Python with its packages, `pip install` from the repository with no package index, then the
# package's tests (tests/python/test_package.py) run from outside the source tree, and the example
# notebooks executed in a Jupyter kernel of that environment (tests/python/run_notebooks.py).
#
#   python_package.sh SOURCE_DIR
# setup.py builds the extension module and the program in SOURCE_DIR/build/python (through ccache, as
# ./build.sh does, so only what changed is compiled again).
set -euo pipefail
source_dir=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 -m venv --system-site-packages "$work/venv"
# --no-deps: Debian's packages provide them (h5py under a name pip does not match; pyproject.toml).
( cd "$source_dir" && JOBS=2 "$work/venv/bin/pip" install --no-build-isolation --no-index --no-deps \
    --quiet . ) > "$work/pip.log" 2>&1 || { cat "$work/pip.log"; echo "pip install failed"; exit 1; }
cd "$work"
SOURCE="$source_dir" "$work/venv/bin/python" "$source_dir/tests/python/test_package.py"
# The example notebooks, in a Jupyter kernel of the virtual environment.
"$work/venv/bin/python" -m ipykernel install --prefix "$work/venv" --name pocsim-test > /dev/null
PATH="$work/venv/bin:$PATH" POCSIM_SOURCE="$source_dir" "$work/venv/bin/python" "$source_dir/tests/python/run_notebooks.py" pocsim-test \
  "$source_dir"/analysis/notebooks/*.ipynb
