"""The installed Python package, as a researcher uses it from a notebook: scenarios as dictionaries
validated with pocsim's own messages; runs, comparisons and sweeps read back (xarray included); a
Simulation stepped in-process, steered like the live view, its state as numpy views.

Run by tests/python_package.sh with a fresh virtual environment's interpreter, after `pip install`.
Environment: SOURCE (the repository), for its scenarios.
"""
import os
import unittest

import numpy as np

import pocsim

SOURCE = os.environ["SOURCE"]
MALI = os.path.join(SOURCE, "scenarios/library/mali/base.yaml")
SAHEL = os.path.join(SOURCE, "scenarios/mission/sahel_mandate.yaml")


class Installed(unittest.TestCase):
    def test_installed_not_the_source_tree(self):
        self.assertNotIn(SOURCE, pocsim.__file__)
        self.assertTrue(os.access(pocsim.executable(), os.X_OK))
        self.assertTrue(pocsim.executable().startswith(os.path.dirname(pocsim.__file__)))


class Scenarios(unittest.TestCase):
    def test_edit_and_validate(self):
        mali = pocsim.Scenario.load(os.path.join(SOURCE, "scenarios/library/mali/people.yaml"))  # base: base.yaml
        mali["citizens.legitimacy"] = 0.7
        resolved = mali.validate()
        self.assertEqual(resolved["citizens"]["legitimacy"], 0.7)
        self.assertEqual(resolved["geography"]["people"], 21077933)

    def test_errors_are_the_command_lines(self):
        mali = pocsim.Scenario.load(MALI)
        mali["citizens.legitimcy"] = 0.7
        mali["run.step_length"] = "fortnight"
        with self.assertRaises(pocsim.ScenarioError) as caught:
            mali.validate()
        message = str(caught.exception)
        self.assertIn("citizens.legitimcy: unknown key", message)
        self.assertIn("did you mean 'legitimacy'?", message)
        self.assertIn("run.step_length: 'fortnight' is not a valid choice", message)
        self.assertIn("2 errors", message)
        self.assertIsInstance(caught.exception, ValueError)

    def test_run_compare_sweep(self):
        sahel = pocsim.Scenario.load(SAHEL)
        run = sahel.run(steps=20, seed=3)
        self.assertEqual(list(run.steps), list(range(21)))
        economy = run.dataset("economy")
        self.assertEqual(economy["revenue"].dims, ("step", "commodity", "recipient"))
        np.testing.assert_array_equal(economy["sales"].values, run.quantities["economy/sales"])
        # The same scenario and seed give the same run, file or not.
        again = pocsim.Scenario.load(SAHEL).run(steps=20, seed=3, threads=1)
        np.testing.assert_array_equal(again.quantities["timeseries/active"], run.quantities["timeseries/active"])

        option = {"name": "cvr", "description": "CVR", "decision": 10,
                  "levers": [{"lever": "cvr", "start": 10, "region": "north", "budget": 20000, "intensity": 100}]}
        comparison = pocsim.compare(sahel, [option], replicates=2, steps=20)
        self.assertEqual(set(comparison.table["option"]), {"baseline", "cvr"})

        store = pocsim.sweep({"scenario": sahel, "replicates": 1, "design": {"type": "latin_hypercube", "samples": 3},
                              "parameters": [{"key": "citizens.legitimacy", "min": 0.6, "max": 0.9}],
                              "outcomes": ["violent_events"]}, overrides=["run.steps=10"])
        self.assertEqual(len(store.seed), 3)
        self.assertEqual(store.factors, ["citizens.legitimacy"])

    def test_bad_option_is_a_scenario_error(self):
        with self.assertRaises(pocsim.ScenarioError) as caught:
            pocsim.compare(pocsim.Scenario.load(SAHEL), [{"decision": 10, "levers": [{"lever": "nonsense", "start": 10}]}],
                           replicates=1, steps=20)
        self.assertIn("nonsense", str(caught.exception))


class InProcess(unittest.TestCase):
    def test_step_look_steer(self):
        sim = pocsim.Scenario.load(MALI).simulation(threads=2, overrides=["run.steps=40"])
        self.assertEqual((sim.current_step, sim.last_step), (0, 40))
        cells = sim.cells()
        self.assertEqual(cells.shape, sim.grid_shape)
        self.assertFalse(cells.flags.writeable)
        before = cells.copy()
        self.assertEqual(sim.step(10), 10)
        # A view, not a copy: the same array shows the model as it is now.
        self.assertFalse(np.array_equal(before, cells))
        np.testing.assert_array_equal(cells, sim.cells())
        states = sim.citizen_state()
        self.assertEqual(int((states == 1).sum()), sim.record()["timeseries/active"][0])

        sim.lever_on("cvr", "north", budget=20000, intensity=60)
        sim.step(5)
        spending = sim.record()["mission/spending"]
        self.assertEqual(spending[1][0], "lever")
        self.assertGreater(spending[0][spending[2]["lever"].index("cvr")], 0)
        self.assertIn('"kind":"cvr"', sim.steering)
        with self.assertRaises(ValueError):
            sim.lever_on("cvr", "atlantis")
        with self.assertRaises(ValueError):
            sim.set("citizens.legitimacy", 0.5)
        sim.set("citizens.moral_cost", 1.0)
        self.assertEqual(sim.step(5, record=False), 5)
        self.assertNotIn(16, set(sim.timeseries().index))
        self.assertEqual(sim.run(), 20)
        self.assertEqual(sim.step(), 0)
        frame = sim.timeseries()
        self.assertEqual(list(frame.index), list(range(16)) + list(range(21, 41)))
        self.assertIn("timeseries/active", frame.columns)

    def test_in_process_equals_the_program(self):
        # Stepping in this process gives the run `pocsim run` writes, step for step.
        sahel = pocsim.Scenario.load(SAHEL)
        sim = sahel.simulation(overrides=["run.steps=15", "run.seed=5"])
        sim.run()
        run = sahel.run(steps=15, seed=5)
        np.testing.assert_array_equal(sim.timeseries()["timeseries/active"].to_numpy(), run.quantities["timeseries/active"])
        np.testing.assert_array_equal(sim.timeseries()["violence/fighter_deaths"].to_numpy(), run.quantities["violence/fighter_deaths"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
