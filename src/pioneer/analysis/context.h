// AnalysisContext: the one place an analysis assembles its inputs from a store (the model is
// DuckDB's ClientContext): the store (opened, or borrowed from a caller that already has it),
// its file and generation, the person timeline through its snapshot, and per-analysis state
// that a module above puts into it once (the metrics' reference data: metrics/run.h,
// ContextReferenceData).
//
// Where it sits: above timeline, below every analytic module (base, model, formats, store,
// timeline ← analysis ← metrics, report, tools; risk, caretrak and quality may use it the same
// way, since it depends on no analytic module). That is why the metrics' reference data is a
// slot filled by metrics and not a member: analysis cannot depend on metrics, which uses it.
//
// The timeline is opened lazily, once, with the union of the attribute fields every user
// declared (Require) before it: through timeline::OpenOrBuild, so a current snapshot beside
// the store (area.db.timeline) is mapped and a stale, foreign or too-narrow one is rebuilt,
// said on the note callback (stderr by default) and written back. A user that requires fields
// the open timeline lacks gets a new one opened with the union (the snapshot only grows); the
// earlier one stays valid for as long as the context lives. A timeline the caller already has
// can be adopted instead (UseTimeline): it is then the context's timeline, taken as holding
// every field its users need (a missing one is the reader's kInvalidArgument).
//
// Slots: Slot<T>(key, make) gives the value under `key`, making it on the first call only
// (once per context); Adopt<T>(key, value) puts a value the caller owns under `key`. Keys are
// namespaced by the module that fills them ("metrics.reference"); asking for a key with
// another type is kInternal.
//
// Sharding: a person shard (person_shard.h: index i of n by a stable hash of the NHS Number)
// restricts which persons the metrics' fast engine counts (FastEngine::SetShard), so that n
// processes each count a disjoint share; counts merge by addition of the engines' cells before
// the derived figures are computed once (metrics/shard_counts.h, metrics/run.h
// CountStoreShard and EvaluateMergedCounts). Population denominators come from the reference
// data, which every process loads whole; records on no person belong to shard 0.
//
// Errors: Open returns the store's errors (OpenExistingSqlite: kNotFound naming the file when it
// is absent, kFailedPrecondition for a file that is not a Pioneer store). Timeline returns
// OpenOrBuild's; Slot returns make's (and makes again on the next call after an error).
// Thread safety: like a store::Store, one thread at a time; a returned Timeline and slot value
// are immutable and may be read from any thread while the context lives.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <typeindex>
#include <vector>

#include "pioneer/base/status.h"
#include "pioneer/store/store.h"
#include "pioneer/timeline/snapshot.h"
#include "pioneer/timeline/timeline.h"

namespace pioneer::analysis {

class AnalysisContext {
 public:
  enum class Mode {
    kExisting,  // the store must exist (Store::OpenExistingSqlite): every analytic command
    kCreate,    // created if absent (Store::OpenSqlite): what only `pioneer ingest` may do
    kReading,   // as kExisting, but a read-only connection (Store::OpenReadOnlySqlite) when the
                // store is already at the current schema version: for commands that never
                // write the store (`pioneer metrics`); an older store is opened as kExisting,
                // which migrates it, and any other error is kExisting's
  };

  // Opens the store at `db_path`; the timeline snapshot is the file beside it.
  static StatusOr<std::unique_ptr<AnalysisContext>> Open(const std::string& db_path,
                                                         Mode mode = Mode::kExisting);
  // Over a store the caller owns and keeps alive for the context's lifetime. `db_path` is its
  // file ("" or ":memory:": the timeline is built in memory, no snapshot is read or written).
  AnalysisContext(store::Store& store, std::string db_path);

  AnalysisContext(const AnalysisContext&) = delete;
  AnalysisContext& operator=(const AnalysisContext&) = delete;

  store::Store& store() { return *store_; }
  const std::string& db_path() const { return db_path_; }
  // The store's generation now (store::Store::Generation: what the snapshot is checked against).
  StatusOr<store::StoreGeneration> Generation() { return store_->Generation(); }

  // How the timeline is opened (note callback, progress, persist, threads). Its `timeline`
  // fields are required as by Require.
  void SetOpenOptions(const timeline::OpenOptions& options);
  // Adds `fields` to the attribute fields the timeline must hold (a union; never shrinks).
  void Require(const timeline::TimelineOptions& fields);
  // The union of every required field so far.
  const timeline::TimelineOptions& required() const { return required_; }

  // The timeline holding every required field: opened on the first call, reused after, and
  // opened again (with the union) only when a later Require added a field it lacks. `report`,
  // if given, says what this call did (rebuilt, reason, seconds; all zero when reused).
  StatusOr<const timeline::Timeline*> Timeline(timeline::OpenReport* report = nullptr);
  // Require(fields), then Timeline().
  StatusOr<const timeline::Timeline*> Timeline(const timeline::TimelineOptions& fields,
                                               timeline::OpenReport* report = nullptr);
  // Makes `t` the context's timeline (not owned; must outlive the context).
  void UseTimeline(const timeline::Timeline& t) { adopted_ = &t; }
  // How many times a timeline was opened through OpenOrBuild (for tests).
  int timeline_opens() const { return timeline_opens_; }

  template <typename T>
  StatusOr<const T*> Slot(const std::string& key, const std::function<StatusOr<T>()>& make) {
    auto it = slots_.find(key);
    if (it == slots_.end()) {
      StatusOr<T> made = make();
      if (!made.ok()) return made.status();
      SlotValue v{std::type_index(typeid(T)), std::make_shared<T>(std::move(*made))};
      it = slots_.emplace(key, std::move(v)).first;
    }
    if (it->second.type != std::type_index(typeid(T))) return TypeMismatch(key);
    return static_cast<const T*>(it->second.value.get());
  }
  // Puts `value` (not owned; must outlive the context) under `key`, replacing what was there.
  template <typename T>
  void Adopt(const std::string& key, const T& value) {
    slots_.insert_or_assign(key,
                            SlotValue{std::type_index(typeid(T)),
                                      std::shared_ptr<const void>(&value, [](const void*) {})});
  }
  bool HasSlot(const std::string& key) const { return slots_.count(key) > 0; }

 private:
  struct SlotValue {
    std::type_index type;
    std::shared_ptr<const void> value;
  };
  static Status TypeMismatch(const std::string& key);

  std::unique_ptr<store::Store> owned_;
  store::Store* store_;
  std::string db_path_;
  timeline::OpenOptions open_options_;
  timeline::TimelineOptions required_;
  const timeline::Timeline* adopted_ = nullptr;
  // Every timeline opened, the last the current one; earlier ones stay valid.
  std::vector<std::unique_ptr<timeline::Timeline>> opened_;
  int timeline_opens_ = 0;
  std::map<std::string, SlotValue> slots_;
};

}  // namespace pioneer::analysis
