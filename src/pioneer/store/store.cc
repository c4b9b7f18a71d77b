#include "pioneer/store/store.h"

namespace pioneer::store {

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

}  // namespace pioneer::store
