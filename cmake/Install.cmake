# Installing pocsim: the command, the engine as libraries another CMake project finds with
# find_package(pocsim), the analysis package that `pocsim report` runs, the scenario library and the docs;
# and a Debian package of all of it (cpack -G DEB in the build folder; tests/package.sh tests it).
#
#   bin/pocsim
#   include/pocsim/<core|model/...|io|scenario|ensemble>/*.hpp     lib/<arch>/libpocsim_*.a
#   lib/<arch>/cmake/pocsim/                                       (pocsim::engine and one target per library)
#   share/pocsim/analysis/  share/pocsim/scenarios/                share/doc/pocsim/
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(POCSIM_DATA_DIR ${CMAKE_INSTALL_DATADIR}/pocsim)
set(POCSIM_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/pocsim)

install(TARGETS pocsim RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# The engine: every library but the command line's own and the live view's server.
add_library(pocsim_engine INTERFACE)
target_link_libraries(pocsim_engine INTERFACE pocsim_ensemble pocsim_scenario pocsim_io pocsim_model)
get_property(all_libraries GLOBAL PROPERTY POCSIM_LIBRARIES)
set(engine_libraries)
foreach(library ${all_libraries})
  if(library STREQUAL "pocsim_cli_lib" OR library STREQUAL "pocsim_serve")
    continue()
  endif()
  list(APPEND engine_libraries ${library})
  get_target_property(dir ${library} POCSIM_HEADER_DIR)
  get_target_property(prefix ${library} POCSIM_HEADER_PREFIX)
  get_target_property(files_only ${library} POCSIM_HEADERS_FILES_ONLY)
  if(files_only)
    file(GLOB headers CONFIGURE_DEPENDS ${dir}/*.hpp)
    install(FILES ${headers} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/pocsim/${prefix})
  else()
    install(DIRECTORY ${dir}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/pocsim/${prefix} FILES_MATCHING PATTERN "*.hpp")
  endif()
endforeach()
foreach(target ${engine_libraries} pocsim_engine pocsim_warnings)
  string(REGEX REPLACE "^pocsim_" "" export_name ${target})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${export_name})
endforeach()
# pocsim_warnings carries only compile options; static libraries name it as link-only, so it is exported
# too (it adds nothing to a project that links the engine).
install(TARGETS ${engine_libraries} pocsim_engine pocsim_warnings EXPORT pocsimTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/pocsim)
install(EXPORT pocsimTargets NAMESPACE pocsim:: DESTINATION ${POCSIM_CMAKE_DIR})
configure_package_config_file(${CMAKE_SOURCE_DIR}/cmake/pocsimConfig.cmake.in ${CMAKE_BINARY_DIR}/pocsimConfig.cmake
  INSTALL_DESTINATION ${POCSIM_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_BINARY_DIR}/pocsimConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/pocsimConfig.cmake ${CMAKE_BINARY_DIR}/pocsimConfigVersion.cmake DESTINATION ${POCSIM_CMAKE_DIR})

# What the command reads at run time, found beside the installed command (sim/cli/report.cpp).
install(DIRECTORY ${CMAKE_SOURCE_DIR}/analysis DESTINATION ${POCSIM_DATA_DIR} PATTERN __pycache__ EXCLUDE)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/scenarios DESTINATION ${POCSIM_DATA_DIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${CMAKE_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})

# The Debian package. Its library dependencies are read off the binary (dpkg-shlibdeps); the Python
# packages are what `pocsim report` and the analysis package import.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME pocsim)
set(CPACK_PACKAGE_VENDOR "pocsim developers")
set(CPACK_PACKAGE_CONTACT "pocsim developers <pocsim@users.noreply.github.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Agent-based simulation of criminal economies around UN peace operations")
set(CPACK_PACKAGE_DESCRIPTION "pocsim simulates communities, armed groups, police, traffickers and a UN mission on a
 spatial grid, and compares mandate options (community violence reduction, sanctions, police salaries,
 mediation, DDR and others) over one to ten years, with paired replicates, sweeps and reports. This
 package holds the pocsim command, its analysis package and scenario library, the docs, and the engine
 as static libraries with CMake package files (find_package(pocsim)).")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "python3, python3-h5py, python3-numpy, python3-matplotlib, python3-pandas, python3-scipy, python3-yaml")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS
    "openmpi-bin, libboost-dev, libtbb-dev, libhdf5-dev, libyaml-cpp-dev, librandom123-dev, cmake, g++")
set(CPACK_STRIP_FILES ON)
include(CPack)
