# RetortGenerate.cmake - retort_generate(): the C code for a schema's
# models (`retort gen`), made by the build and made again whenever the
# schema, or a file it includes, changes.
#
#   retort_generate(<target> <schema.rt>
#                   [NAME <name>]        # files <name>.h/.c, set <name>_models;
#                                        # default: the schema file's name
#                   [OUTPUT_DIR <dir>]   # default: <current binary dir>/retort_generated/<target>
#                   [RETORT <command>])  # an executable target or a path
#
# Adds <dir>/<name>.c to the target's sources and <dir> to its include
# directories (PUBLIC, build tree only), so the target's code, and code
# linking it, writes #include "<name>.h".
#
# The retort command is RETORT when given, else the imported target
# retort::cli (find_package(retort) defines it), else the variable
# RETORT_EXECUTABLE, else `retort` on the PATH.
#
# Files included by the schema are tracked through a depfile where CMake
# supports one for custom commands (3.20 with Ninja or Makefiles, 3.21
# elsewhere); with older CMake only the main schema file is.

include_guard(GLOBAL)

# A function records the policies in force where it is defined: CMP0116
# makes CMake rewrite the depfile's paths for Ninja, whatever the policy
# version of the project that calls retort_generate().
cmake_policy(PUSH)
if(POLICY CMP0116)
  cmake_policy(SET CMP0116 NEW)
endif()

function(retort_generate target schema)
  cmake_parse_arguments(PARSE_ARGV 2 arg "" "NAME;OUTPUT_DIR;RETORT" "")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "retort_generate: unexpected arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT TARGET ${target})
    message(FATAL_ERROR "retort_generate: ${target} is not a target")
  endif()

  get_filename_component(schema "${schema}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  if(arg_NAME)
    set(name "${arg_NAME}")
  else()
    # The schema file's name without its last extension, as a C identifier
    # (what `retort gen` itself would choose).
    get_filename_component(name "${schema}" NAME)
    string(REGEX REPLACE "\\.[^.]*$" "" name "${name}")
    string(MAKE_C_IDENTIFIER "${name}" name)
  endif()
  if(NOT name MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
    message(FATAL_ERROR "retort_generate: NAME '${name}' is not a C identifier")
  endif()
  if(arg_OUTPUT_DIR)
    get_filename_component(dir "${arg_OUTPUT_DIR}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_BINARY_DIR}")
  else()
    set(dir "${CMAKE_CURRENT_BINARY_DIR}/retort_generated/${target}")
  endif()

  if(arg_RETORT)
    set(retort "${arg_RETORT}")
  elseif(TARGET retort::cli)
    set(retort retort::cli)
  elseif(RETORT_EXECUTABLE)
    set(retort "${RETORT_EXECUTABLE}")
  else()
    find_program(RETORT_EXECUTABLE retort)
    if(NOT RETORT_EXECUTABLE)
      message(FATAL_ERROR "retort_generate: the retort command was not found; "
                          "give RETORT <path> or set RETORT_EXECUTABLE")
    endif()
    set(retort "${RETORT_EXECUTABLE}")
  endif()
  # A target: run its file, and regenerate when it changes (a target of
  # this build is also built first).
  set(retort_depends "")
  if(TARGET ${retort})
    get_target_property(imported ${retort} IMPORTED)
    if(imported)
      set(retort_depends "$<TARGET_FILE:${retort}>")
    else()
      set(retort_depends ${retort})
    endif()
    set(retort "$<TARGET_FILE:${retort}>")
  endif()

  set(header "${dir}/${name}.h")
  set(source "${dir}/${name}.c")
  set(depfile_args "")
  if(CMAKE_VERSION VERSION_GREATER_EQUAL 3.21 OR
     (CMAKE_VERSION VERSION_GREATER_EQUAL 3.20 AND CMAKE_GENERATOR MATCHES "Ninja|Makefiles"))
    set(depfile "${dir}/${name}.d")
    set(depfile_args DEPFILE "${depfile}")
    set(depfile_option --depfile "${depfile}")
  else()
    set(depfile_option "")
  endif()

  # Run in the output folder, where no retort.ini of the project can be
  # picked up by accident. `retort gen` writes a file only when its text
  # changes, so a schema edit that changes nothing in C recompiles nothing.
  file(MAKE_DIRECTORY "${dir}")
  add_custom_command(
    OUTPUT "${header}" "${source}"
    COMMAND "${retort}" -q --schema "${schema}" gen -o "${dir}" --name "${name}" ${depfile_option}
    DEPENDS "${schema}" ${retort_depends}
    ${depfile_args}
    WORKING_DIRECTORY "${dir}"
    COMMENT "retort gen: ${name}.h and ${name}.c from ${schema}"
    VERBATIM)
  target_sources(${target} PRIVATE "${header}" "${source}")
  target_include_directories(${target} PUBLIC "$<BUILD_INTERFACE:${dir}>")
endfunction()

cmake_policy(POP)
