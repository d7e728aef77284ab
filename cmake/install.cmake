# install.cmake - what `make install` / `cmake --install` puts where.
#
#   lib/libretort.a, lib/libretort.so (+ soname links)
#   include/retort.h, include/retort/*.h
#   bin/retort
#   share/man/man1/retort.1, retort-<command>.1  (cmake/manual.cmake)
#   share/bash-completion/completions/retort   bash completion, loaded by
#                                              bash-completion on first use
#   lib/pkgconfig/retort.pc                  pkg-config --cflags --libs retort
#   lib/cmake/retort/retortConfig.cmake      find_package(retort), giving
#     retort::retort         (the shared library)
#     retort::retort_static  (the static library)
#     retort::cli            (the retort command)
#     retort_generate()      (cmake/RetortGenerate.cmake: C code for models)
#
# Both package files locate the installation relative to themselves, so
# `cmake --install build --prefix DIR` (what `make install PREFIX=DIR` runs)
# gives a working tree in DIR whatever prefix was configured.

include(CMakePackageConfigHelpers)

set(RETORT_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/retort)
set(RETORT_PKGCONFIG_DIR ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# Users see retort::retort and retort::retort_static, not the build's names.
set_target_properties(retort_shared PROPERTIES EXPORT_NAME retort)
set_target_properties(retort_static PROPERTIES EXPORT_NAME retort_static)

install(TARGETS retort_shared retort_static
  EXPORT retortTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

install(FILES ${PROJECT_SOURCE_DIR}/include/retort.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/retort
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.h")

# The command is exported too, as retort::cli, so that retort_generate()
# in a user's build runs the installed one.
if(TARGET retort)
  set_target_properties(retort PROPERTIES EXPORT_NAME cli)
  install(TARGETS retort EXPORT retortTargets RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

# The man pages and the completion script (cmake/manual.cmake).
if(TARGET retort_manual)
  install(DIRECTORY ${RETORT_MAN_DIR}/ DESTINATION ${CMAKE_INSTALL_MANDIR}/man1
    FILES_MATCHING PATTERN "*.1")
  install(FILES ${RETORT_COMPLETION_FILE}
    DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
endif()

# --- CMake package --------------------------------------------------------
install(EXPORT retortTargets
  NAMESPACE retort::
  DESTINATION ${RETORT_CMAKE_DIR})

# retortConfig.cmake finds the same drivers the static library was built
# against, and tells its user which backends it has (retort_BACKENDS).
set(RETORT_CONFIG_DEPS "${RETORT_BACKEND_DEPS}")
set(RETORT_CONFIG_BACKENDS "${RETORT_BACKENDS}")
configure_package_config_file(
  ${PROJECT_SOURCE_DIR}/cmake/retortConfig.cmake.in
  ${PROJECT_BINARY_DIR}/retortConfig.cmake
  INSTALL_DESTINATION ${RETORT_CMAKE_DIR})
# Before 1.0 a minor release may change the API, so only the same minor
# version satisfies a request.
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/retortConfigVersion.cmake
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMinorVersion)
install(FILES
  ${PROJECT_BINARY_DIR}/retortConfig.cmake
  ${PROJECT_BINARY_DIR}/retortConfigVersion.cmake
  ${PROJECT_SOURCE_DIR}/cmake/RetortGenerate.cmake
  DESTINATION ${RETORT_CMAKE_DIR})

# --- pkg-config -----------------------------------------------------------
# prefix is written relative to the .pc file's own folder (${pcfiledir}),
# which pkg-config and pkgconf both expand.
if(IS_ABSOLUTE "${RETORT_PKGCONFIG_DIR}")
  set(RETORT_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
else()
  file(RELATIVE_PATH pc_to_prefix "/prefix/${RETORT_PKGCONFIG_DIR}" "/prefix")
  string(REGEX REPLACE "/$" "" pc_to_prefix "${pc_to_prefix}")
  set(RETORT_PC_PREFIX "\${pcfiledir}/${pc_to_prefix}")
endif()
foreach(dir LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${dir}}")
    set(RETORT_PC_${dir} "${CMAKE_INSTALL_${dir}}")
  else()
    set(RETORT_PC_${dir} "\${prefix}/${CMAKE_INSTALL_${dir}}")
  endif()
endforeach()
# Only the drivers of the backends built in (CMakeLists.txt: RETORT_WITH_*).
string(JOIN " " RETORT_PC_REQUIRES ${RETORT_BACKEND_PKGS})
string(JOIN ", " RETORT_PC_BACKENDS ${RETORT_BACKENDS})
configure_file(${PROJECT_SOURCE_DIR}/cmake/retort.pc.in
  ${PROJECT_BINARY_DIR}/retort.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/retort.pc DESTINATION ${RETORT_PKGCONFIG_DIR})
