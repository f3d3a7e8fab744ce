// Prints a run's figures: a readable block for people and one "RESULT key=value ..." line that
// bench/run.sh aggregates over repeated runs.
#pragma once

#include <cstdio>

#include "bench/load_run.hpp"

namespace bench {

void print_report(const RunResult& result, std::FILE* out);

}  // namespace bench
