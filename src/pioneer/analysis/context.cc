#include "pioneer/analysis/context.h"

#include <algorithm>
#include <utility>

namespace pioneer::analysis {
namespace {

// True when `t` holds every field of `want` (by store table name).
bool Holds(const timeline::Timeline& t, const timeline::TimelineOptions& want) {
  for (const auto& [table, fields] : want.attributes) {
    bool known = false;
    for (int s = 0; s < timeline::kSourceCount; ++s) {
      const auto source = static_cast<timeline::Source>(s);
      if (timeline::SourceTable(source) != table) continue;
      known = true;
      for (const std::string& f : fields) {
        if (t.attributes(source).FieldIndex(f) < 0) return false;
      }
    }
    if (!known) return false;  // OpenOrBuild reports the unknown table
  }
  return true;
}

}  // namespace

StatusOr<std::unique_ptr<AnalysisContext>> AnalysisContext::Open(const std::string& db_path,
                                                                 Mode mode) {
  StatusOr<std::unique_ptr<store::Store>> opened =
      mode == Mode::kCreate    ? store::Store::OpenSqlite(db_path)
      : mode == Mode::kReading ? store::Store::OpenReadOnlySqlite(db_path)
                               : store::Store::OpenExistingSqlite(db_path);
  // A read-only connection cannot migrate an older store (or create the -shm file of a store
  // in a read-only folder): the general connection does, or says why it cannot.
  if (mode == Mode::kReading && !opened.ok()) opened = store::Store::OpenExistingSqlite(db_path);
  if (!opened.ok()) return opened.status();
  auto ctx = std::make_unique<AnalysisContext>(**opened, db_path);
  ctx->owned_ = std::move(*opened);
  return ctx;
}

AnalysisContext::AnalysisContext(store::Store& store, std::string db_path)
    : store_(&store), db_path_(std::move(db_path)) {}

void AnalysisContext::SetOpenOptions(const timeline::OpenOptions& options) {
  open_options_ = options;
  Require(options.timeline);
  open_options_.timeline = {};
}

void AnalysisContext::Require(const timeline::TimelineOptions& fields) {
  for (const auto& [table, wanted] : fields.attributes) {
    auto& have = required_.attributes[table];
    for (const std::string& f : wanted) {
      if (std::find(have.begin(), have.end(), f) == have.end()) have.push_back(f);
    }
  }
}

StatusOr<const timeline::Timeline*> AnalysisContext::Timeline(timeline::OpenReport* report) {
  if (report != nullptr) *report = timeline::OpenReport{};
  if (adopted_ != nullptr) return adopted_;
  if (!opened_.empty() && Holds(*opened_.back(), required_)) return opened_.back().get();
  timeline::OpenOptions oo = open_options_;
  oo.timeline = required_;
  ++timeline_opens_;
  PIONEER_ASSIGN_OR_RETURN(timeline::Timeline t,
                           timeline::OpenOrBuild(*store_, db_path_, oo, report));
  opened_.push_back(std::make_unique<timeline::Timeline>(std::move(t)));
  return opened_.back().get();
}

StatusOr<const timeline::Timeline*> AnalysisContext::Timeline(
    const timeline::TimelineOptions& fields, timeline::OpenReport* report) {
  Require(fields);
  return Timeline(report);
}

Status AnalysisContext::TypeMismatch(const std::string& key) {
  return InternalError("analysis context: slot '" + key + "' holds another type");
}

}  // namespace pioneer::analysis
