// Series are named as Prometheus advises (unit suffixes, _total for counters); every error code
// and both protocol versions are always present, at 0 if need be, so that dashboards and alerts
// see a series before its first event. README "Operating it" lists them; the Grafana dashboard in
// packaging/ uses only these names (tests/package/check_dashboard.py checks it).
#include "server/metrics_report.hpp"

#include "server/metrics_text.hpp"

namespace chat {
namespace {

void core_series(MetricsText& out, const MetricsSources& in) {
  const ServiceMetrics& core = in.service;
  out.family("chat_sessions", "gauge", "WebSocket sessions open, by protocol version (seed clients are version 1)");
  for (int version = kSeedVersion; version <= kCurrentVersion; ++version) {
    out.sample("chat_sessions", core.sessions[version], MetricsText::label("version", std::to_string(version)));
  }
  out.family("chat_logins_total", "counter", "logins answered with a welcome (renames included)")
      .sample("chat_logins_total", core.logins);
  out.family("chat_lines_accepted_total", "counter", "chat lines stored and delivered")
      .sample("chat_lines_accepted_total", core.lines_accepted);
  out.family("chat_deliveries_total", "counter", "chat lines queued to a member's connection (lines x members)")
      .sample("chat_deliveries_total", core.deliveries);
  out.family("chat_refusals_total", "counter", "refusals sent, by error code (rate_limited: rate-limited requests)");
  for (std::size_t code = 0; code + 1 < ServiceMetrics::kErrorCodes; ++code) {  // not `other`: never sent
    out.sample("chat_refusals_total", core.refusals[code],
               MetricsText::label("code", to_string(static_cast<ErrorCode>(code))));
  }
  out.family("chat_history_reads_total", "counter", "pages of stored lines read for history and resumes")
      .sample("chat_history_reads_total", core.history_reads);
  out.family("chat_rooms", "gauge", "rooms that exist, general included")
      .sample("chat_rooms", static_cast<std::uint64_t>(in.rooms));
}

void edge_series(MetricsText& out, const MetricsSources& in) {
  const EdgeMetrics& edge = in.edge;
  out.family("chat_connections", "gauge", "WebSocket connections open")
      .sample("chat_connections", static_cast<std::uint64_t>(in.connections));
  out.family("chat_connections_opened_total", "counter", "WebSocket handshakes completed")
      .sample("chat_connections_opened_total", edge.connections_opened);
  out.family("chat_bytes_out_total", "counter", "WebSocket bytes written to clients")
      .sample("chat_bytes_out_total", edge.bytes_out);
  out.family("chat_close_codes_total", "counter", "connections the server closed, by WebSocket close code");
  for (const auto& [code, count] : edge.close_codes) {
    out.sample("chat_close_codes_total", count, MetricsText::label("code", std::to_string(code)));
  }
  out.family("chat_dead_connections_dropped_total", "counter", "connections dropped as silent (no pong, no reading)")
      .sample("chat_dead_connections_dropped_total", edge.dead_dropped);
}

void store_series(MetricsText& out, const MetricsSources& in) {
  out.histogram("chat_store_commit_seconds", "duration of each group commit of the store", in.store.commit_seconds);
  out.family("chat_store_commits_total", "counter", "group commits that succeeded")
      .sample("chat_store_commits_total", in.store.commits);
  out.family("chat_store_failed_commits_total", "counter", "group commits that failed (nothing of them stored)")
      .sample("chat_store_failed_commits_total", in.store.failed_commits);
  out.family("chat_store_requests_total", "counter", "store requests committed or failed, in all batches")
      .sample("chat_store_requests_total", in.store.requests);
  out.family("chat_store_queue_depth", "gauge", "store requests waiting for the next group commit")
      .sample("chat_store_queue_depth", static_cast<std::uint64_t>(in.store_queue));
}

}  // namespace

std::string render_metrics(const MetricsSources& sources) {
  MetricsText out;
  core_series(out, sources);
  edge_series(out, sources);
  store_series(out, sources);
  out.family("process_resident_memory_bytes", "gauge", "resident memory of the server process")
      .sample("process_resident_memory_bytes", sources.process.resident_bytes);
  out.family("process_open_fds", "gauge", "file descriptors the server process holds open")
      .sample("process_open_fds", sources.process.open_descriptors);
  return out.text();
}

}  // namespace chat
