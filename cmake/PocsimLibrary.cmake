# pocsim_library(NAME PREFIX <include path> DIR <folder> [FILES_ONLY] SOURCES ... [PUBLIC deps...] [PRIVATE deps...])
#
# One library per folder of sim/, each with an include root of its own: a folder in the build tree that
# holds only this library's headers, under the path they are included by (PREFIX, e.g. "core" or
# "model/economy"). A library sees its own root and, through PUBLIC links, those of the libraries it
# depends on, and nothing else: an #include that runs against the dependency graph (a "scenario/..." in
# sim/core, an "model/mission/..." in sim/model/economy) does not compile. FILES_ONLY exposes the folder's
# own headers but not its subfolders (sim/model, whose subfolders are libraries of their own).
include(GNUInstallDirs)

function(pocsim_library name)
  cmake_parse_arguments(L "FILES_ONLY" "PREFIX;DIR" "SOURCES;PUBLIC;PRIVATE" ${ARGN})
  add_library(${name} ${L_SOURCES})
  set(root ${CMAKE_BINARY_DIR}/include_roots/${name})
  if(L_FILES_ONLY)
    file(REMOVE_RECURSE ${root}/${L_PREFIX})
    file(MAKE_DIRECTORY ${root}/${L_PREFIX})
    file(GLOB headers CONFIGURE_DEPENDS ${L_DIR}/*.hpp)
    foreach(header ${headers})
      get_filename_component(file_name ${header} NAME)
      file(CREATE_LINK ${header} ${root}/${L_PREFIX}/${file_name} SYMBOLIC)
    endforeach()
  else()
    get_filename_component(parent ${root}/${L_PREFIX} DIRECTORY)
    file(MAKE_DIRECTORY ${parent})
    file(REMOVE ${root}/${L_PREFIX})
    file(CREATE_LINK ${L_DIR} ${root}/${L_PREFIX} SYMBOLIC)
  endif()
  # Installed, every library's headers sit under include/pocsim by the same paths (cmake/Install.cmake).
  target_include_directories(${name} PUBLIC $<BUILD_INTERFACE:${root}> $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/pocsim>)
  set_property(GLOBAL APPEND PROPERTY POCSIM_LIBRARIES ${name})
  set_target_properties(${name} PROPERTIES POCSIM_HEADER_DIR ${L_DIR} POCSIM_HEADER_PREFIX ${L_PREFIX})
  if(L_FILES_ONLY)
    set_target_properties(${name} PROPERTIES POCSIM_HEADERS_FILES_ONLY ON)
  endif()
  target_link_libraries(${name} PUBLIC ${L_PUBLIC} PRIVATE pocsim_warnings ${L_PRIVATE})
endfunction()
