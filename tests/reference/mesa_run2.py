#!/usr/bin/python3
"""Runs Mesa's own Epstein civil-violence example on Run 2 and writes the statistics pocsim is held to.

Usage: /usr/bin/python3 tests/reference/mesa_run2.py MESA_SOURCE_DIR [--seeds 40] > tests/reference/mesa_run2.csv

MESA_SOURCE_DIR is Mesa 3.3.1's source tree (git archive of tag v3.3.1 of
https://github.com/projectmesa/mesa); Debian's python3-numpy, -pandas, -scipy, -tqdm and -networkx
run it. Run 2 of Epstein (2002): a 40 x 40 torus, citizen density 0.7, cop density 0.04, legitimacy
0.82, maximum jail term 30, vision 7 for both, threshold 0.1, k = 2.3, 500 steps; everything else is
Mesa's example as shipped (its model.py and agents.py, unmodified).

One row per seed: the share of citizens active and jailed (mean and maximum over steps 1..500) and the
number of outbursts (rises of the active share above 0.05). tests/model/test_patterns.cpp computes the
same statistics from pocsim's runs with Mesa's switches (docs/odd.md 7.23) and compares them.
"""
import argparse
import sys

STATISTICS = ["mean_active", "max_active", "mean_jailed", "max_jailed", "outbursts"]
OUTBURST_SHARE = 0.05
STEPS = 500


def statistics(active, jailed, citizens):
    a = [x / citizens for x in active]
    j = [x / citizens for x in jailed]
    outbursts = sum(1 for prev, cur in zip([0.0] + a, a) if prev <= OUTBURST_SHARE < cur)
    return [sum(a) / len(a), max(a), sum(j) / len(j), max(j), outbursts]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mesa_source")
    ap.add_argument("--seeds", type=int, default=40)
    a = ap.parse_args()
    sys.path.insert(0, a.mesa_source)
    import mesa
    from mesa.examples.advanced.epstein_civil_violence.agents import Citizen
    from mesa.examples.advanced.epstein_civil_violence.model import EpsteinCivilViolence

    print(f"# Mesa {mesa.__version__}, examples/advanced/epstein_civil_violence, Run 2 of Epstein (2002); "
          f"written by tests/reference/mesa_run2.py")
    print("seed," + ",".join(STATISTICS))
    for seed in range(1, a.seeds + 1):
        m = EpsteinCivilViolence(width=40, height=40, citizen_density=0.7, cop_density=0.04, citizen_vision=7,
                                 cop_vision=7, legitimacy=0.82, max_jail_term=30, active_threshold=0.1,
                                 arrest_prob_constant=2.3, movement=True, max_iters=STEPS + 1, seed=seed)
        citizens = len(m.agents_by_type[Citizen])
        active, jailed = [], []
        for _ in range(STEPS):
            m.step()
            active.append(m.ACTIVE)
            jailed.append(m.ARRESTED)
        s = statistics(active, jailed, citizens)
        print(f"{seed}," + ",".join(f"{x:.6g}" for x in s), flush=True)


if __name__ == "__main__":
    main()
