// The timeline snapshot: the person timeline persisted beside its store as one columnar,
// memory-mappable file (`area.db` -> `area.db.timeline`), so that every analytic command
// opens it with a map and a validation instead of rebuilding it from SQLite. Format:
// docs/snapshot.md (layout, version, byte order, checksums).
//
// The file records the store generation it was built from (store::Store::Generation: ingest
// runs, link runs, review decisions, care plan writes, saved risk strata). OpenOrBuild is the one
// call every reader uses: it maps the snapshot when it is current and holds every requested
// attribute field, and otherwise says why on the note callback (stderr by default), rebuilds from
// the store and rewrites the snapshot. A write is atomic (temporary name, fsync, rename, fsync of
// the folder), so a crash mid-write leaves the previous snapshot in place.
//
// Information governance: the file holds NHS Numbers and event codes, like the store beside
// it, and gets the same permissions (0600 on creation). Notes never name people.
// Thread safety: functions are reentrant; a returned Timeline is immutable and shareable.
// Two processes may rebuild at once: each writes its own temporary file; the last rename wins.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "pioneer/base/status.h"
#include "pioneer/store/store.h"
#include "pioneer/timeline/timeline.h"

namespace pioneer::timeline {

// Bumped whenever the layout or the meaning of a column changes; a snapshot of another
// version is rebuilt, never read.
// 2: unplaced events, linkage.unplaced; 3: sources care_plans and risk_strata.
inline constexpr uint32_t kSnapshotFormatVersion = 3;

// "<db_path>.timeline".
std::string SnapshotPath(const std::string& db_path);

// Writes `t` to `path` atomically, recording `generation`. Errors: kUnavailable naming the
// file on any I/O failure (the previous file, if any, is left untouched); kInvalidArgument
// for a partial timeline (TimelineOptions::only_tables).
// Test hook: when the environment variable PIONEER_SNAPSHOT_TEST_KILL_AFTER_BYTES=N is set,
// the process kills itself (SIGKILL) once N bytes of the temporary file are written.
Status WriteSnapshot(const Timeline& t, const store::StoreGeneration& generation,
                     const std::string& path);

// Maps and validates a snapshot: magic, format version, byte order, file size, header and
// section checksums, section sizes against the counts. On success `generation_key` (if not
// null) receives the recorded store::StoreGeneration::Key(). Errors name the file:
// kNotFound (absent), kFailedPrecondition (not a snapshot, another format version or byte
// order), kDataLoss (truncated or corrupt).
StatusOr<Timeline> OpenSnapshot(const std::string& path, std::string* generation_key = nullptr);

struct OpenOptions {
  TimelineOptions timeline;  // attribute fields the caller reads (a snapshot may hold more)
  std::function<void(const BuildProgress&)> progress;  // during a rebuild
  // Why a snapshot was not used, and what happened (one line each). Default: stderr.
  std::function<void(const std::string&)> note;
  bool persist = true;  // write the rebuilt snapshot back
  // Threads reading the store during a rebuild (each with its own connection to db_path);
  // 0: DefaultThreads() (base/parallel.h).
  int threads = 0;
};

// What OpenOrBuild did (for timings and tests).
struct OpenReport {
  bool rebuilt = false;  // false: the snapshot was mapped as it was
  bool written = false;  // a new snapshot file was written
  std::string reason;    // why it was rebuilt ("" when mapped)
  double seconds = 0;    // wall time of the whole call
};

// The timeline of `store` (whose file is `db_path`; "" or ":memory:" = no snapshot): mapped
// from SnapshotPath(db_path) when that is current and holds the requested fields, else built
// (with the union of the snapshot's fields and the requested ones, so a snapshot only grows)
// and, with options.persist, written back. A snapshot that cannot be written is noted and the
// built timeline returned. Errors: the store's and Build's.
StatusOr<Timeline> OpenOrBuild(store::Store& store, const std::string& db_path,
                               const OpenOptions& options = {}, OpenReport* report = nullptr);

// Builds the timeline of `store` and writes its snapshot (what `pioneer ingest` and
// `pioneer link` do at the end of a run), unless the snapshot is already current and holds
// the requested fields (`force`: rebuild anyway). Keeps the fields of an existing snapshot.
// Sets *rebuilt (if given) to whether it built. Errors: the store's, Build's, WriteSnapshot's.
Status RefreshSnapshot(store::Store& store, const std::string& db_path,
                       const OpenOptions& options = {}, bool force = false,
                       bool* rebuilt = nullptr);

}  // namespace pioneer::timeline
