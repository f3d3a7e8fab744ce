// Units: memory in MB (VmRSS / 1024), CPU in % of one core. What counts for the verdict: every
// honest line, at every full receiver and inside every window not closed by a slow-reader drop.
#include "tests/soak/soak_report.hpp"

#include <string>

namespace soak {
namespace {

using ull = unsigned long long;

double mb(std::int64_t kb) { return static_cast<double>(kb) / 1024.0; }

std::string by_code(const std::map<std::string, std::uint64_t>& counts) {
  std::string text;
  for (const auto& [code, count] : counts) {
    text += (text.empty() ? "" : ", ") + (code.empty() ? std::string("?") : code) + " " + std::to_string(count);
  }
  return text.empty() ? "none" : text;
}

std::uint64_t total(const std::map<std::string, std::uint64_t>& counts) {
  std::uint64_t sum = 0;
  for (const auto& [code, count] : counts) sum += count;
  return sum;
}

std::string checks(const DeliveryCounts& c) {
  return "lost " + std::to_string(c.lost) + ", duplicated " + std::to_string(c.duplicated) + ", reordered " +
         std::to_string(c.reordered);
}

bool clean(const DeliveryCounts& c) { return c.lost == 0 && c.duplicated == 0 && c.reordered == 0; }

std::string server_figures(const ProgressRow& row) {
  if (row.rss_kb < 0) return "server figures unknown";
  char text[96];
  std::snprintf(text, sizeof text, "server RSS %.1f MB, CPU %.0f %%, %d sockets", mb(row.rss_kb), row.cpu_percent,
                row.sockets);
  return text;
}

void print_server(const SoakOutcome& o, std::FILE* out) {
  if (!o.have_server) {
    std::fprintf(out, "  server: no --server-pid, no figures\n");
    return;
  }
  std::fprintf(out,
               "  server RSS: %.1f MB idle, %.1f MB after setup, peak %.1f MB, %.1f MB at the end of the traffic, "
               "%.1f MB 3 s after every client left\n",
               mb(o.idle.rss_kb), mb(o.ready.rss_kb), mb(o.peak_rss_kb), mb(o.loaded_end.rss_kb),
               mb(o.after_leaving.rss_kb));
  std::fprintf(out, "  server CPU over the traffic: %.1f %% of a core; generator %.1f %%\n", o.server_cpu_percent,
               o.own_cpu_percent);
}

void print_connections(const SoakTally& t, std::FILE* out) {
  std::fprintf(out, "  connections (begun / established / ended):");
  for (std::size_t r = 0; r < kRoleCount; ++r) {
    std::fprintf(out, "%s %s %llu/%llu/%llu", r ? "," : "", role_name(static_cast<Role>(r)),
                 static_cast<ull>(t.roles[r].started), static_cast<ull>(t.roles[r].opened),
                 static_cast<ull>(t.roles[r].ended));
  }
  std::fprintf(out, "\n");
}

void print_hostile(const SoakTally& t, std::FILE* out) {
  std::fprintf(out, "  hostile clients (runs: as documented / surprises / cut short by the end; slowest answer):\n");
  for (const auto& [kind, c] : t.hostile) {
    std::fprintf(out, "    %-14s %5llu: %llu / %llu / %llu; %lld ms\n", kind.c_str(), static_cast<ull>(c.runs),
                 static_cast<ull>(c.as_expected), static_cast<ull>(c.surprises), static_cast<ull>(c.cut_short),
                 static_cast<long long>(c.slowest_answer_ms));
  }
  std::fprintf(out, "  refusals earned by hostile clients: %llu (%s)\n", static_cast<ull>(total(t.hostile_refusals)),
               by_code(t.hostile_refusals).c_str());
}

std::uint64_t live_total(const ProgressRow& row) {
  std::uint64_t sum = 0;
  for (const std::uint64_t count : row.live) sum += count;
  return sum;
}

void print_rss_table(const SoakOutcome& o, std::FILE* out) {
  std::fprintf(out, "\n| elapsed s | server RSS MB | server CPU %% | server sockets | our clients | lines sent | "
                    "lines received | gaps/dup/reord so far | slow readers dropped | hostile refusals |\n"
                    "|---|---|---|---|---|---|---|---|---|---|\n");
  for (const ProgressRow& row : o.rows) {
    if (row.rss_kb < 0) continue;  // the server was gone
    std::fprintf(out, "| %.0f | %.1f | %.0f | %d | %llu | %llu | %llu | %llu/%llu/%llu | %llu | %llu |\n", row.elapsed_s,
                 mb(row.rss_kb), row.cpu_percent, row.sockets, static_cast<ull>(live_total(row)),
                 static_cast<ull>(row.lines_sent), static_cast<ull>(row.deliveries),
                 static_cast<ull>(row.gaps + row.windows.lost),
                 static_cast<ull>(row.full.duplicated + row.windows.duplicated),
                 static_cast<ull>(row.full.reordered + row.windows.reordered), static_cast<ull>(row.slow_drops),
                 static_cast<ull>(row.hostile_refusals));
  }
}

void print_machine(const SoakOutcome& o, const SoakTally& t, std::FILE* out) {
  std::fprintf(out,
               "SOAK ok=%d traffic_s=%.0f rss_idle_kb=%lld rss_ready_kb=%lld rss_peak_kb=%lld rss_end_kb=%lld "
               "rss_after_kb=%lld server_cpu_pct=%.1f lines_sent=%llu deliveries=%llu lost=%llu dup=%llu "
               "reordered=%llu window_lost=%llu window_dup=%llu window_reordered=%llu malformed=%llu "
               "honest_refusals=%llu honest_dropped=%llu slow_drops=%llu hostile_refusals=%llu hostile_surprises=%llu\n",
               o.passed(t) ? 1 : 0, o.traffic_s, static_cast<long long>(o.idle.rss_kb),
               static_cast<long long>(o.ready.rss_kb), static_cast<long long>(o.peak_rss_kb),
               static_cast<long long>(o.loaded_end.rss_kb), static_cast<long long>(o.after_leaving.rss_kb),
               o.server_cpu_percent, static_cast<ull>(t.lines_sent), static_cast<ull>(t.deliveries),
               static_cast<ull>(o.full.lost), static_cast<ull>(o.full.duplicated), static_cast<ull>(o.full.reordered),
               static_cast<ull>(t.closed_windows.lost), static_cast<ull>(t.closed_windows.duplicated),
               static_cast<ull>(t.closed_windows.reordered), static_cast<ull>(t.malformed),
               static_cast<ull>(t.honest_refusal_count()), static_cast<ull>(t.honest_dropped),
               static_cast<ull>(t.slow_drops), static_cast<ull>(total(t.hostile_refusals)),
               static_cast<ull>(t.hostile_surprises()));
}

}  // namespace

bool SoakOutcome::passed(const SoakTally& t) const {
  return setup_error.empty() && !server_died && clean(full) && clean(t.closed_windows) && t.malformed == 0 &&
         t.honest_refusal_count() == 0 && t.honest_dropped == 0 && t.deliveries > 0;
}

void print_progress(const ProgressRow& row, const SoakTally& t, std::FILE* out) {
  const auto& live = row.live;
  std::fprintf(out, "[%4.0f s] %s | clients %llu chat %llu churn %llu slow %llu hostile | ", row.elapsed_s,
               server_figures(row).c_str(), static_cast<ull>(live[static_cast<std::size_t>(Role::chatter)]),
               static_cast<ull>(live[static_cast<std::size_t>(Role::churner)]),
               static_cast<ull>(live[static_cast<std::size_t>(Role::slow_reader)]),
               static_cast<ull>(live[static_cast<std::size_t>(Role::hostile)]));
  std::fprintf(out,
               "lines %llu sent %llu received, %llu in flight | so far dup %llu reord %llu gaps %llu | slow drops %llu | "
               "honest refusals %llu, drops %llu | hostile refusals %s\n",
               static_cast<ull>(row.lines_sent), static_cast<ull>(row.deliveries), static_cast<ull>(row.in_flight),
               static_cast<ull>(row.full.duplicated + row.windows.duplicated),
               static_cast<ull>(row.full.reordered + row.windows.reordered),
               static_cast<ull>(row.gaps + row.windows.lost), static_cast<ull>(t.slow_drops),
               static_cast<ull>(t.honest_refusal_count()), static_cast<ull>(t.honest_dropped),
               by_code(t.hostile_refusals).c_str());
  std::fflush(out);
}

void print_summary(const SoakOptions& options, const SoakOutcome& o, const SoakTally& t, std::FILE* out) {
  std::fprintf(out, "\nsoak summary (seed %llu)\n", static_cast<ull>(options.seed));
  if (!o.setup_error.empty()) std::fprintf(out, "  SETUP FAILED: %s\n", o.setup_error.c_str());
  if (o.server_died) std::fprintf(out, "  THE SERVER DIED\n");
  print_server(o, out);
  print_connections(t, out);
  std::fprintf(out, "  stamped lines: %llu sent, %llu first receipts checked, %llu chat frames received in rooms\n",
               static_cast<ull>(t.lines_sent), static_cast<ull>(t.deliveries), static_cast<ull>(t.chat_frames));
  std::fprintf(out, "  %llu full receivers (chatters, every line of their room): %s\n", static_cast<ull>(o.full_receivers),
               checks(o.full).c_str());
  std::fprintf(out, "  windows of churners and slow readers (lines missing inside a window count as lost): %s\n",
               checks(t.closed_windows).c_str());
  std::fprintf(out, "  slow readers dropped by the server: %llu (%s); inside their windows: %s (not counted)\n",
               static_cast<ull>(t.slow_drops), by_code(t.slow_drop_how).c_str(), checks(t.dropped_windows).c_str());
  std::fprintf(out, "  malformed chat frames %llu; refusals to honest clients %llu (%s); honest connections lost %llu\n",
               static_cast<ull>(t.malformed), static_cast<ull>(t.honest_refusal_count()),
               by_code(t.honest_refusals).c_str(), static_cast<ull>(t.honest_dropped));
  print_hostile(t, out);
  for (const std::string& problem : t.problems) std::fprintf(out, "  problem: %s\n", problem.c_str());
  if (o.have_server) print_rss_table(o, out);
  std::fprintf(out, "\nverdict: %s\n", o.passed(t) ? "PASS" : "FAIL");
  print_machine(o, t, out);
  std::fflush(out);
}

}  // namespace soak
