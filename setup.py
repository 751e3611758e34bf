"""Builds the Python package `pocsim`: the folder analysis/ as the package, the model's extension module
(pocsim._core, target _core) and the pocsim program (pocsim/bin/pocsim), both built by CMake.

The CMake build goes to build/python (Release, POCSIM_PYTHON=ON: position-independent code), or to the
folder POCSIM_BUILD_DIR names (configured there the same way when it has no CMake cache yet). JOBS sets
the parallel build jobs.
"""
import glob
import os
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = os.path.dirname(os.path.abspath(__file__))


class CMakeBuild(build_ext):
    def run(self):
        build = os.environ.get("POCSIM_BUILD_DIR") or os.path.join(HERE, "build", "python")
        cache = os.path.join(build, "CMakeCache.txt")
        if os.path.exists(cache) and "POCSIM_PYTHON:BOOL=ON" not in open(cache).read():
            raise RuntimeError(f"{build} was configured without -DPOCSIM_PYTHON=ON: choose another POCSIM_BUILD_DIR, or leave it unset")
        # The interpreter a virtual environment stands on (its own is a link that goes with the environment;
        # the extension's ABI is the same), given at every build so a cache made from an environment since
        # removed still configures.
        interpreter = getattr(sys, "_base_executable", None) or sys.executable
        configure = ["cmake", "-S", HERE, "-B", build, f"-DPython3_EXECUTABLE={interpreter}"]
        if not os.path.exists(cache):
            configure += ["-DCMAKE_BUILD_TYPE=Release", "-DPOCSIM_PYTHON=ON", "-DPOCSIM_BUILD_TESTS=OFF", "-DPOCSIM_BUILD_BENCHMARKS=OFF",
                          # Warnings are errors where CI is set, as ./build.sh makes them.
                          "-DPOCSIM_WERROR=" + (os.environ.get("POCSIM_WERROR") or ("ON" if os.environ.get("CI") else "OFF"))]
            if shutil.which("ccache"):
                configure += ["-DCMAKE_CXX_COMPILER_LAUNCHER=ccache", "-DCMAKE_C_COMPILER_LAUNCHER=ccache"]
        subprocess.check_call(configure)
        jobs = os.environ.get("JOBS") or str(os.cpu_count() or 1)
        subprocess.check_call(["cmake", "--build", build, "--target", "_core", "pocsim", "-j", jobs])
        built = glob.glob(os.path.join(build, "sim", "python", "_core*.so"))
        if len(built) != 1:
            raise RuntimeError(f"the extension module was not built in {build} (pybind11-dev and python3-dev installed?)")
        target = self.get_ext_fullpath("pocsim._core")
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy2(built[0], target)
        program = os.path.join(os.path.dirname(target), "bin", "pocsim")
        os.makedirs(os.path.dirname(program), exist_ok=True)
        shutil.copy2(os.path.join(build, "pocsim"), program)


os.makedirs(os.path.join(HERE, "build", "python-setuptools"), exist_ok=True)
setup(
    # data/ (the reference figures) and notebooks/ hold no Python: listed as packages so their files go with it.
    packages=["pocsim", "pocsim.data", "pocsim.notebooks"],
    package_dir={"pocsim": "analysis"},
    package_data={"pocsim": ["README.md"], "pocsim.data": ["*.csv"], "pocsim.notebooks": ["*.ipynb"]},
    ext_modules=[Extension("pocsim._core", sources=[])],
    cmdclass={"build_ext": CMakeBuild},
    # Setuptools' own files stay under build/, out of the source tree.
    options={"build": {"build_base": "build/python-setuptools"}, "egg_info": {"egg_base": "build/python-setuptools"}},
    zip_safe=False,
)
