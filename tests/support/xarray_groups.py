"""Every group of a pocsim HDF5 file that holds datasets opens in xarray's netCDF reader (h5netcdf) with
named dimensions: no phony_dim_*. Prints each group's dimensions.

Usage: /usr/bin/python3 tests/support/xarray_groups.py FILE.h5 [GROUP=DIM,DIM...]...
Each GROUP=DIMS argument also requires that group's dimensions to be exactly those.
"""
import sys

import h5py
import xarray as xr


def main(path, expectations):
    with h5py.File(path, "r") as f:
        groups = [""] if any(isinstance(o, h5py.Dataset) for o in f.values()) else []
        f.visititems(lambda n, o: groups.append(n) if isinstance(o, h5py.Group) and any(
            isinstance(c, h5py.Dataset) for c in o.values()) else None)
    failures = []
    seen = {}
    for g in groups:
        with xr.open_dataset(path, engine="h5netcdf", group=g or None) as ds:
            seen[g] = sorted(ds.dims)
            phony = [d for d in ds.dims if d.startswith("phony_dim")]
            if phony:
                failures.append(f"{path}:/{g}: unnamed dimensions {phony}")
    for e in expectations:
        g, dims = e.split("=")
        if seen.get(g) != sorted(dims.split(",")):
            failures.append(f"{path}:/{g}: dimensions {seen.get(g)}, expected {sorted(dims.split(','))}")
    for g, d in seen.items():
        print(f"/{g}: {', '.join(d)}")
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
