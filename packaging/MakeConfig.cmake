# Run at build time (cmake -P): writes the packaged /etc/chat/chat.conf from HEAD (the hand-written
# header) and `BINARY --help`, one commented block per option that has an environment variable, so
# the file cannot miss an option the server gained.
execute_process(COMMAND "${BINARY}" --help OUTPUT_VARIABLE help RESULT_VARIABLE failed)
if(failed)
  message(FATAL_ERROR "${BINARY} --help failed: ${failed}")
endif()
file(READ "${HEAD}" text)
# A CMake list is ";"-separated, and the help text has semicolons: hide them while splitting.
string(REPLACE ";" "<semicolon>" help "${help}")
string(REPLACE "\n" ";" lines "${help}")
set(count 0)
foreach(line IN LISTS lines)
  # "  --port PORT            TCP port ... (default 8080)  [CHAT_PORT]"
  if(line MATCHES "^  (--[a-z-]+)( [A-Z]+)? +(.*[^ ])  \\[(CHAT_[A-Z_]+)\\]$")
    string(REPLACE "<semicolon>" ";" help_text "${CMAKE_MATCH_3}")
    set(value "")
    if(NOT CMAKE_MATCH_2)
      set(value "1")  # a switch
    endif()
    string(APPEND text "\n# ${CMAKE_MATCH_1}${CMAKE_MATCH_2}: ${help_text}\n#${CMAKE_MATCH_4}=${value}\n")
    math(EXPR count "${count} + 1")
  endif()
endforeach()
if(count EQUAL 0)
  message(FATAL_ERROR "no option with an environment variable in the --help of ${BINARY}")
endif()
file(WRITE "${OUTPUT}" "${text}")
