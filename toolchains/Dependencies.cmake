# Third-party libraries, all from Debian packages (installed by toolchains/setup.sh).
# The wasm build cannot use the system's CMake packages: their targets add -isystem /usr/include,
# whose glibc headers break a wasm compile. It gets header-only copies instead.

if(EMSCRIPTEN)
  # nlohmann/json: expose only its own headers to em++.
  set(CHAT_WASM_INCLUDE ${CMAKE_BINARY_DIR}/wasm_include)
  file(MAKE_DIRECTORY ${CHAT_WASM_INCLUDE})
  file(CREATE_LINK /usr/include/nlohmann ${CHAT_WASM_INCLUDE}/nlohmann SYMBOLIC)
  add_library(nlohmann_json INTERFACE)
  target_include_directories(nlohmann_json SYSTEM INTERFACE ${CHAT_WASM_INCLUDE})
  add_library(nlohmann_json::nlohmann_json ALIAS nlohmann_json)

  # GoogleTest built from Debian's sources with em++; no threads in plain wasm.
  set(gtest_disable_pthreads ON CACHE BOOL "" FORCE)
  set(BUILD_GMOCK OFF CACHE BOOL "" FORCE)
  set(INSTALL_GTEST OFF CACHE BOOL "" FORCE)
  add_subdirectory(/usr/src/googletest ${CMAKE_BINARY_DIR}/googletest EXCLUDE_FROM_ALL)  # defines GTest::gtest_main
  target_compile_options(gtest PRIVATE -O1)  # test code: see chat_compile_as_test_code (tests/)
  target_compile_options(gtest_main PRIVATE -O1)
else()
  find_package(nlohmann_json 3.10 REQUIRED)
  find_package(GTest REQUIRED)
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(LWS REQUIRED IMPORTED_TARGET libwebsockets)
  # Unicode data for the server's name rules (UTS #39 skeletons, NFKC, scripts); never in wasm.
  find_package(ICU 72 REQUIRED COMPONENTS uc i18n)
endif()
include(GoogleTest)
