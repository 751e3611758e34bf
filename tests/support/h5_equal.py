"""Whether two HDF5 files hold the same datasets with the same values, bit for bit.

Usage: /usr/bin/python3 tests/support/h5_equal.py A.h5 B.h5 [--attributes]
Exit 0 when equal; 1, listing the differences, when not. Root attributes that record when and how a run
was made (times, command line, threads, 'resumed') are not compared; with --attributes, the attributes of
every dataset and group are.
"""
import sys

import h5py
import numpy as np

RUN_FACTS = {"start_time", "end_time", "wall_seconds", "command_line", "threads", "resumed"}


def items(f):
    out = {}
    f.visititems(lambda name, obj: out.__setitem__(name, obj))
    return out


# Dimension scales are recorded as object references (addresses within each file): compared by the
# names and paths of the scales attached to each axis instead.
SCALE_LINKS = {"DIMENSION_LIST", "REFERENCE_LIST"}


def scales(obj):
    if not isinstance(obj, h5py.Dataset):
        return []
    return [[(key, scale.name) for key, scale in zip(axis.keys(), axis.values())] for axis in obj.dims]


def same_attributes(a, b, skip=()):
    ka = {k for k in a.attrs if k not in skip and k not in SCALE_LINKS}
    kb = {k for k in b.attrs if k not in skip and k not in SCALE_LINKS}
    if ka != kb or scales(a) != scales(b):
        return False
    return all(np.array_equal(np.asarray(a.attrs[k]), np.asarray(b.attrs[k])) for k in ka)


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    attributes = "--attributes" in argv
    differences = []
    with h5py.File(argv[1], "r") as fa, h5py.File(argv[2], "r") as fb:
        ia, ib = items(fa), items(fb)
        for name in sorted(set(ia) ^ set(ib)):
            differences.append(f"{name}: only in {'the first' if name in ia else 'the second'} file")
        for name in sorted(set(ia) & set(ib)):
            a, b = ia[name], ib[name]
            if isinstance(a, h5py.Dataset):
                if not isinstance(b, h5py.Dataset):
                    differences.append(f"{name}: a dataset in one file only")
                    continue
                va, vb = a[()], b[()]
                if a.dtype != b.dtype or np.shape(va) != np.shape(vb):
                    differences.append(f"{name}: {a.dtype}{np.shape(va)} vs {b.dtype}{np.shape(vb)}")
                elif h5py.check_string_dtype(a.dtype):  # labels: their bytes are pointers in memory
                    if a.asstr()[()].tolist() != b.asstr()[()].tolist():
                        differences.append(f"{name}: labels differ")
                elif np.asarray(va).tobytes() != np.asarray(vb).tobytes():
                    differences.append(f"{name}: values differ")
            if attributes and not same_attributes(a, b):
                differences.append(f"{name}: attributes differ")
        if attributes and not same_attributes(fa, fb, RUN_FACTS):
            differences.append("/: root attributes differ")
    for d in differences:
        print(d)
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
