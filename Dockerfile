# pocsim in a container, for clusters that run containers (Apptainer builds from it too:
#   apptainer build pocsim.sif docker-daemon://pocsim:latest, after docker build -t pocsim .).
# The build stage runs the same commands as CI and a fresh Debian 12 machine: build.sh installs what is
# missing and builds, and the Debian package that tests/package.sh checks in CI is what the runtime
# stage installs. Not built on the machine pocsim is developed on (it has no container engine), so its
# steps are kept to exactly those CI runs.
#
#   docker build -t pocsim .
#   docker run --rm -v "$PWD:/work" -w /work pocsim run /usr/share/pocsim/scenarios/library/mali/base.yaml -o mali.h5
FROM debian:12 AS build
WORKDIR /src
COPY . .
RUN ./build.sh package

FROM debian:12-slim
COPY --from=build /src/build/release/pocsim_*.deb /tmp/
RUN apt-get update && apt-get install -y --no-install-recommends /tmp/pocsim_*.deb openmpi-bin \
    && rm -rf /var/lib/apt/lists/* /tmp/pocsim_*.deb
ENTRYPOINT ["pocsim"]
CMD ["--help"]
