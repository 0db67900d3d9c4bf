# Fails, naming the fix, when a checked-in generated reference differs from
# the one generated from ODS in this build.
string(REPLACE "|" ";" generated "${GENERATED}")
string(REPLACE "|" ";" checked_in "${CHECKED_IN}")
set(stale)
foreach(gen file IN ZIP_LISTS generated checked_in)
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${gen} ${file}
                  RESULT_VARIABLE differs)
  if(differs)
    list(APPEND stale ${file})
  endif()
endforeach()
if(stale)
  message(FATAL_ERROR "not what ODS generates: ${stale}; run `make docs` "
                      "(ninja -C build sluice-doc) and commit the result")
endif()
message(STATUS "generated references match ODS")
