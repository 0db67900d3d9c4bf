# Fails, naming the fix, when the checked-in dialect reference differs from the
# one generated from ODS in this build.
execute_process(
  COMMAND ${CMAKE_COMMAND} -E compare_files ${GENERATED} ${CHECKED_IN}
  RESULT_VARIABLE differs)
if(differs)
  message(FATAL_ERROR
    "${CHECKED_IN} is not what ODS generates (${GENERATED}); "
    "run `ninja -C build sluice-doc` and commit the result")
endif()
message(STATUS "${CHECKED_IN} matches ODS")
