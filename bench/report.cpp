// Units: latencies in microseconds, CPU in percent of one core over the measured window, memory in
// KB. Server figures are absent (-1) when no --server-pid was given.
#include "bench/report.hpp"

#include <algorithm>

namespace bench {
namespace {

double us(std::int64_t ns) { return static_cast<double>(ns) / 1000.0; }

double cpu_percent(std::int64_t cpu_ns, double seconds) {
  return seconds > 0 ? 100.0 * static_cast<double>(cpu_ns) / (seconds * 1e9) : 0.0;
}

struct Derived {
  double deliveries_per_s = 0, server_cpu = -1, own_cpu = 0, kb_per_conn = -1;
  // The server's CPU while the crowd connected, logged in and joined: ms in all, % of one core.
  double setup_cpu_ms = -1, setup_cpu = -1;
  // RSS growth while the crowd connected and joined, per crowd client: leaves out what the rooms
  // and their prefilled history cost, which rss_kb_per_conn (from before the creator) includes.
  double crowd_kb_per_conn = -1;
};

Derived derive(const RunResult& r) {
  Derived d;
  d.deliveries_per_s = r.measured_s > 0 ? static_cast<double>(r.window_deliveries) / r.measured_s : 0;
  d.own_cpu = cpu_percent(r.own_cpu_ns, r.measured_s);
  if (r.have_server) {
    d.server_cpu = cpu_percent(r.server_end.cpu_ns - r.server_start.cpu_ns, r.measured_s);
    d.kb_per_conn = static_cast<double>(r.server_after_setup.rss_kb - r.server_before_connect.rss_kb) / r.spec.clients;
    d.crowd_kb_per_conn =
        static_cast<double>(r.server_after_setup.rss_kb - r.server_crowd_start.rss_kb) / std::max(r.crowd_clients, 1);
    d.setup_cpu_ms = static_cast<double>(r.server_after_setup.cpu_ns - r.server_crowd_start.cpu_ns) / 1e6;
    d.setup_cpu = cpu_percent(r.server_after_setup.cpu_ns - r.server_crowd_start.cpu_ns, r.connect_s + r.join_s);
  }
  return d;
}

void print_hold(const RunResult& r, const Derived& d, std::FILE* out) {
  std::fprintf(out, "  held %d connections for %.2f s; %llu frames received\n", r.spec.clients, r.measured_s,
               static_cast<unsigned long long>(r.frames));
  if (r.have_server) {
    std::fprintf(out, "  server: RSS %lld KB idle, %lld KB after setup (%.2f KB/conn), at most %lld KB while holding\n",
                 static_cast<long long>(r.server_before_connect.rss_kb), static_cast<long long>(r.server_after_setup.rss_kb),
                 d.kb_per_conn, static_cast<long long>(r.server_rss_max_kb));
  }
  std::fprintf(out, "  checks: refusals %llu, dropped %llu: %s\n", static_cast<unsigned long long>(r.refusals),
               static_cast<unsigned long long>(r.failures), r.passed() ? "PASS" : "FAIL");
  if (!r.first_problem.empty()) std::fprintf(out, "  first problem: %.300s\n", r.first_problem.c_str());
}

void print_human(const RunResult& r, const Derived& d, std::FILE* out) {
  const auto& s = r.spec;
  std::fprintf(out, "scenario %c: %d clients, %d rooms, %d senders, ", s.name, s.clients, s.rooms, s.senders);
  if (s.senders == 0) std::fprintf(out, "hold mode: no lines\n");
  else if (s.window > 0) std::fprintf(out, "window of %d lines in flight per sender\n", s.window);
  else std::fprintf(out, "%.1f lines/s per sender (open loop)\n", s.rate);
  if (!r.setup_error.empty()) {
    std::fprintf(out, "  SETUP FAILED: %s\n", r.setup_error.c_str());
    return;
  }
  if (r.prefill_s > 0) std::fprintf(out, "  prefill: the rooms' history written in %.3f s\n", r.prefill_s);
  std::fprintf(out, "  setup: all logged in %.3f s, all joined %.3f s\n", r.connect_s, r.join_s);
  if (r.have_server) {
    std::fprintf(out, "  server during setup: %.0f ms of CPU (%.1f %% of a core)\n", d.setup_cpu_ms, d.setup_cpu);
  }
  // If this nears the setup's wall time, the connect time is the generator's, not the server's.
  std::fprintf(out, "  generator during setup: %.0f ms of CPU (%.1f %% of a core)\n",
               static_cast<double>(r.own_setup_cpu_ns) / 1e6, cpu_percent(r.own_setup_cpu_ns, r.connect_s + r.join_s));
  if (s.senders == 0) return print_hold(r, d, out);
  std::fprintf(out, "  sent %llu lines; %llu deliveries in %.2f s = %.0f/s; %llu frames received\n",
               static_cast<unsigned long long>(r.lines_sent), static_cast<unsigned long long>(r.window_deliveries),
               r.measured_s, d.deliveries_per_s, static_cast<unsigned long long>(r.frames));
  std::fprintf(out, "  latency (us) from scheduled send: p50 %.1f p90 %.1f p99 %.1f max %.1f (%llu samples)\n",
               us(r.latency.percentile(0.5)), us(r.latency.percentile(0.9)), us(r.latency.percentile(0.99)),
               us(r.latency.max()), static_cast<unsigned long long>(r.latency.count()));
  std::fprintf(out, "  latency (us) from actual write: p50 %.1f p99 %.1f; generator send lag p99 %.1f max %.1f\n",
               us(r.write_latency.percentile(0.5)), us(r.write_latency.percentile(0.99)),
               us(r.send_lag.percentile(0.99)), us(r.send_lag.max()));
  if (r.have_server) {
    std::fprintf(out, "  server: CPU %.1f %% of a core; RSS %lld KB idle, %lld KB after setup (%.2f KB/conn), %lld KB at end\n",
                 d.server_cpu, static_cast<long long>(r.server_before_connect.rss_kb),
                 static_cast<long long>(r.server_after_setup.rss_kb), d.kb_per_conn,
                 static_cast<long long>(r.server_end.rss_kb));
  }
  std::fprintf(out, "  generator: CPU %.1f %% of a core%s\n", d.own_cpu,
               d.own_cpu > 80 ? " (WARNING: near saturation, figures may be the generator's limit)" : "");
  std::fprintf(out, "  checks: lost %llu, duplicated %llu, reordered %llu, malformed %llu, refusals %llu, dropped %llu: %s\n",
               static_cast<unsigned long long>(r.counts.lost), static_cast<unsigned long long>(r.counts.duplicated),
               static_cast<unsigned long long>(r.counts.reordered), static_cast<unsigned long long>(r.malformed),
               static_cast<unsigned long long>(r.refusals), static_cast<unsigned long long>(r.failures),
               r.passed() ? "PASS" : "FAIL");
  if (!r.first_problem.empty()) std::fprintf(out, "  first problem: %.300s\n", r.first_problem.c_str());
}

void print_machine(const RunResult& r, const Derived& d, std::FILE* out) {
  std::fprintf(out,
               "RESULT scenario=%c ok=%d deliveries_per_s=%.0f p50_us=%.1f p90_us=%.1f p99_us=%.1f max_us=%.1f "
               "write_p99_us=%.1f lag_p99_us=%.1f server_cpu_pct=%.1f gen_cpu_pct=%.1f rss_kb_per_conn=%.2f "
               "connect_s=%.3f join_s=%.3f lost=%llu dup=%llu reordered=%llu malformed=%llu sent=%llu clients=%d "
               "server_setup_cpu_ms=%.0f server_setup_cpu_pct=%.1f gen_setup_cpu_ms=%.0f crowd_rss_kb_per_conn=%.2f rss_kb_max=%lld prefill_s=%.3f "
               "first_connect_unix_ns=%lld last_login_unix_ns=%lld joined_unix_ns=%lld\n",
               r.spec.name, r.passed() ? 1 : 0, d.deliveries_per_s, us(r.latency.percentile(0.5)),
               us(r.latency.percentile(0.9)), us(r.latency.percentile(0.99)), us(r.latency.max()),
               us(r.write_latency.percentile(0.99)), us(r.send_lag.percentile(0.99)), d.server_cpu, d.own_cpu,
               d.kb_per_conn, r.connect_s, r.join_s, static_cast<unsigned long long>(r.counts.lost),
               static_cast<unsigned long long>(r.counts.duplicated), static_cast<unsigned long long>(r.counts.reordered),
               static_cast<unsigned long long>(r.malformed), static_cast<unsigned long long>(r.lines_sent), r.spec.clients,
               d.setup_cpu_ms, d.setup_cpu, static_cast<double>(r.own_setup_cpu_ns) / 1e6, d.crowd_kb_per_conn, static_cast<long long>(r.server_rss_max_kb), r.prefill_s,
               static_cast<long long>(r.first_connect_unix_ns), static_cast<long long>(r.last_login_unix_ns),
               static_cast<long long>(r.joined_unix_ns));
}

}  // namespace

void print_report(const RunResult& result, std::FILE* out) {
  const Derived derived = derive(result);
  print_human(result, derived, out);
  if (result.setup_error.empty()) print_machine(result, derived, out);
  std::fflush(out);
}

}  // namespace bench
