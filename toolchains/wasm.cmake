# Toolchain wrapper for Debian's Emscripten 3.1.6: its own toolchain file plus the two environment
# fixes this machine kind needs (see ../shared/TOOLCHAIN.md in the team's notes).
include(/usr/share/emscripten/cmake/Modules/Platform/Emscripten.cmake)

# emcc's JS optimizer runs under the machine's Node, which does not search Debian's node path,
# where acorn lives; only the link step needs it.
set(CMAKE_CXX_LINKER_LAUNCHER env NODE_PATH=/usr/share/nodejs)
# Tests (and gtest_discover_tests) run the linked .js under node; without this flag Node 20's
# fetch() is tried on a file path and the module fails to load.
set(CMAKE_CROSSCOMPILING_EMULATOR node --no-experimental-fetch)
