# manual.cmake - the man pages and the bash completion script, made at
# build time by the retort command from its own tables (cli/cli.h), so they
# always match `retort <command> --help`:
#
#   build/man/retort.1, build/man/retort-<command>.1   retort help --man-dir
#   build/completion/retort                            retort completion bash
#
# install.cmake installs them into share/man/man1 and
# share/bash-completion/completions. Not when cross-compiling: the command
# must run on the build machine.
if(NOT TARGET retort OR CMAKE_CROSSCOMPILING)
  return()
endif()

set(RETORT_MAN_DIR ${PROJECT_BINARY_DIR}/man)
set(RETORT_COMPLETION_FILE ${PROJECT_BINARY_DIR}/completion/retort)

# The folder is emptied first: a command that was removed leaves no page.
add_custom_command(OUTPUT ${RETORT_MAN_DIR}/retort.1
  COMMAND ${CMAKE_COMMAND} -E rm -rf ${RETORT_MAN_DIR}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${RETORT_MAN_DIR}
  COMMAND retort -q help --man-dir ${RETORT_MAN_DIR}
  DEPENDS retort
  COMMENT "Writing the man pages into man/"
  VERBATIM)
add_custom_command(OUTPUT ${RETORT_COMPLETION_FILE}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/completion
  COMMAND retort -q completion bash -o ${RETORT_COMPLETION_FILE}
  DEPENDS retort
  COMMENT "Writing the bash completion script completion/retort"
  VERBATIM)
add_custom_target(retort_manual ALL
  DEPENDS ${RETORT_MAN_DIR}/retort.1 ${RETORT_COMPLETION_FILE})
