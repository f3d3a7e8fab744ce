# Assembles the served site (cmake -P): the page, the program and the style sheet, each file but
# the page named after its content (chat_client.3f9a1c0e4b2d.wasm), and a gzip -9 copy of each
# beside it. The server sends the copy to browsers that accept gzip and lets them keep
# content-named files for a year (server/site_caching.hpp); the page, revalidated on every visit,
# names the current ones, so a new build is picked up at once and an unchanged one costs a 304.
#   -DWEB_DIR=<web/>  -DPROGRAM_JS=<chat_client.js>  -DPROGRAM_WASM=<chat_client.wasm>
#   -DSITE_DIR=<output folder>  -DGZIP=<gzip program>
foreach(var WEB_DIR PROGRAM_JS PROGRAM_WASM SITE_DIR GZIP)
  if(NOT ${var})
    message(FATAL_ERROR "assemble_site.cmake: ${var} is not set")
  endif()
endforeach()

# "dir/name.ext" -> "name.<first 12 hex digits of its SHA-256>.ext"
function(content_name file out_var)
  file(SHA256 "${file}" digest)
  string(SUBSTRING "${digest}" 0 12 digest)
  get_filename_component(stem "${file}" NAME_WLE)
  get_filename_component(ext "${file}" LAST_EXT)
  set(${out_var} "${stem}.${digest}${ext}" PARENT_SCOPE)
endfunction()

# The page names each file once, quoted, exactly as the source tree has it; anything else means
# index.html changed shape and the renaming would silently miss it.
function(rename_in_page page_var from to)
  set(page "${${page_var}}")
  string(REGEX MATCHALL "['\"]${from}['\"]" found "${page}")
  list(LENGTH found count)
  if(NOT count EQUAL 1)
    message(FATAL_ERROR "web/index.html should name '${from}' once, quoted; found ${count} times")
  endif()
  string(REGEX REPLACE "(['\"])${from}(['\"])" "\\1${to}\\2" page "${page}")
  set(${page_var} "${page}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE "${SITE_DIR}")  # no stale content-named files from an earlier build
file(MAKE_DIRECTORY "${SITE_DIR}")
file(READ "${WEB_DIR}/index.html" page)
foreach(source "${PROGRAM_JS}" "${PROGRAM_WASM}" "${WEB_DIR}/style.css")
  content_name("${source}" served_name)
  get_filename_component(plain_name "${source}" NAME)
  string(REPLACE "." "\\." plain_pattern "${plain_name}")
  rename_in_page(page "${plain_pattern}" "${served_name}")
  configure_file("${source}" "${SITE_DIR}/${served_name}" COPYONLY)
endforeach()
file(WRITE "${SITE_DIR}/index.html" "${page}")

file(GLOB served "${SITE_DIR}/*")
foreach(file ${served})
  # -n: no name or time stamp inside, so the same input always gives the same bytes.
  execute_process(COMMAND "${GZIP}" -9 -n -k -f "${file}" RESULT_VARIABLE failed)
  if(failed)
    message(FATAL_ERROR "${GZIP} -9 failed on ${file}")
  endif()
  file(SIZE "${file}" plain_bytes)
  file(SIZE "${file}.gz" gzip_bytes)
  if(NOT gzip_bytes LESS plain_bytes)
    file(REMOVE "${file}.gz")  # nothing gained: the file is sent as it is
  endif()
endforeach()
