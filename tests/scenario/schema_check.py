"""Every shipped scenario and option file validates against `pocsim schema --json`, and files with the
errors an editor should catch do not.

Usage: /usr/bin/python3 tests/scenario/schema_check.py SCHEMA.json SOURCE_DIR
The YAML is read as yaml-cpp (YAML 1.2's core schema) reads it, as editors do (analysis.api.load_yaml):
dates and words such as 'yes' or 'off' stay text, where PyYAML's YAML 1.1 rules would turn them into
dates and booleans.
"""
import copy
import glob
import json
import os
import sys

import jsonschema


def load(path):
    with open(path) as f:
        return load_yaml(f.read())


def main(schema_path, source):
    schema = json.load(open(schema_path))
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema)
    # Scenarios and options; sweep and calibration plans are files of another kind.
    files = sorted(p for pattern in ("scenarios/**/*.yaml", "benchmarks/scenarios/**/*.yaml")
                   for p in glob.glob(os.path.join(source, pattern), recursive=True) if "/sweeps/" not in p)
    assert len(files) > 40, files
    failures = []
    options = 0
    for path in files:
        document = load(path)
        options += "decision" in document
        errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
        for e in errors[:3]:
            failures.append(f"{os.path.relpath(path, source)}: {'.'.join(map(str, e.path))}: {e.message[:200]}")
    assert options >= 10, f"only {options} option files found"

    # What the schema must refuse: an unknown key, a value out of range, a wrong choice, a lever without
    # its kind, a malformed duration, a schedule change without its step.
    mali = load(os.path.join(source, "scenarios/library/mali/base.yaml"))
    option = load(glob.glob(os.path.join(source, "scenarios/library/mali/options/*.yaml"))[0])
    bad = []
    def variant(document, change):
        d = copy.deepcopy(document)
        change(d)
        return d
    bad.append(("unknown key", variant(mali, lambda d: d["citizens"].__setitem__("legitimcy", 0.8))))
    bad.append(("out of range", variant(mali, lambda d: d["citizens"].__setitem__("legitimacy", 1.5))))
    bad.append(("wrong choice", variant(mali, lambda d: d["run"].__setitem__("step_length", "fortnight"))))
    bad.append(("bad duration", variant(mali, lambda d: d["run"].__setitem__("steps", "5 decades"))))
    bad.append(("lever without kind", variant(option, lambda d: d["levers"][0].pop("lever"))))
    bad.append(("unknown top-level key", variant(mali, lambda d: d.__setitem__("mision", {}))))
    bad.append(("schedule change without 'at'", variant(mali, lambda d: d["mission"].__setitem__("budget", {"initial": 1, "changes": [{"to": 2}]}))))
    bad.append(("option without levers", variant(option, lambda d: d.pop("levers"))))
    for what, document in bad:
        if validator.is_valid(document):
            failures.append(f"the schema accepts a file with {what}")
    for f in failures:
        print(f)
    print(f"{len(files)} files ({options} options) validated; {len(bad)} bad files refused" if not failures else "FAIL")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.path.insert(0, sys.argv[2])
    from analysis.api import load_yaml
    sys.exit(main(sys.argv[1], sys.argv[2]))
