#include "pioneer/store/store.h"

#include <fmt/format.h>

namespace pioneer::store {

std::string StoreGeneration::Key() const {
  return fmt::format(
      "created={};ingest_runs={};last_ingest_run={};last_ingest_finished={};link_runs={};"
      "last_link_run={};last_link_finished={};link_reviews={};reviews_digest={:016x};"
      "care_plan_versions={};risk_strata={};last_stratum={};schema={}",
      created_at, ingest_runs, last_ingest_run, last_ingest_finished, link_runs, last_link_run,
      last_link_finished, link_reviews, reviews_digest, care_plan_versions, risk_strata,
      last_stratum, schema_version);
}

StatusOr<StoreGeneration> Store::Generation() {
  StoreGeneration g;
  if (HasTable("meta")) {
    PIONEER_RETURN_IF_ERROR(
        Query("SELECT key, value FROM meta WHERE key IN ('created_at', 'schema_version')", {},
              [&](const RowView& r) {
                (r.Text(0) == "created_at" ? g.created_at : g.schema_version) = r.Text(1);
              }));
  }
  if (HasTable("ingest_runs")) {
    PIONEER_RETURN_IF_ERROR(
        Query("SELECT count(*), coalesce(max(run_id), 0), coalesce(max(finished_at), '') "
              "FROM ingest_runs",
              {}, [&](const RowView& r) {
                g.ingest_runs = r.Int(0);
                g.last_ingest_run = r.Int(1);
                g.last_ingest_finished = r.Text(2);
              }));
  }
  if (HasTable("link_runs")) {
    PIONEER_RETURN_IF_ERROR(
        Query("SELECT count(*), coalesce(max(run_id), 0), coalesce(max(finished_at), '') "
              "FROM link_runs",
              {}, [&](const RowView& r) {
                g.link_runs = r.Int(0);
                g.last_link_run = r.Int(1);
                g.last_link_finished = r.Text(2);
              }));
  }
  if (HasTable("link_reviews")) {
    // FNV-1a over every review row: a changed verdict keeps the count but not the digest.
    uint64_t h = 1469598103934665603ULL;
    auto mix = [&h](std::string_view s) {
      for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
      h = (h ^ 0xFF) * 1099511628211ULL;  // field separator
    };
    PIONEER_RETURN_IF_ERROR(
        Query("SELECT review_id, source_table, row_id, verdict, decided_at FROM link_reviews "
              "ORDER BY review_id",
              {}, [&](const RowView& r) {
                ++g.link_reviews;
                for (int i = 0; i < 5; ++i) mix(r.Text(i));
              }));
    g.reviews_digest = h;
  }
  if (HasTable("care_plan_history")) {
    PIONEER_RETURN_IF_ERROR(Query("SELECT count(*) FROM care_plan_history", {},
                                  [&](const RowView& r) { g.care_plan_versions = r.Int(0); }));
  }
  if (HasTable("risk_strata")) {
    PIONEER_RETURN_IF_ERROR(Query("SELECT count(*), coalesce(max(stratum_id), 0) FROM risk_strata",
                                  {}, [&](const RowView& r) {
                                    g.risk_strata = r.Int(0);
                                    g.last_stratum = r.Int(1);
                                  }));
  }
  return g;
}

// Backends that cannot be written (e.g. a read-only view) inherit this.
StatusOr<std::unique_ptr<IngestWriter>> Store::BeginIngestRun(const IngestRunInfo&,
                                                              const IngestWriteOptions&) {
  return FailedPreconditionError("this store does not accept ingest runs");
}

StatusOr<int64_t> Store::Execute(std::string_view, std::span<const Param>) {
  return FailedPreconditionError("this store cannot be written");
}

Status Store::InTransaction(const std::function<Status()>&) {
  return FailedPreconditionError("this store cannot be written");
}

StatusOr<std::unique_ptr<Store>> Store::OpenAuditFile() {
  return FailedPreconditionError("this store has no audit file");
}

}  // namespace pioneer::store
