// Status and StatusOr: how Pioneer reports failures that callers must handle.
//
// Pioneer code does not throw across module boundaries. Functions that can fail on input
// (files, user arguments, stores) return Status or StatusOr<T>. Bad *rows* are not errors:
// ingest quarantines them as data. A Status error means a whole operation could not be done.
//
// Codes follow the canonical set used by abseil/gRPC so they map cleanly to HTTP later.
// Thread safety: values; no shared state.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace pioneer {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // the caller's input is wrong (file content, argument)
  kNotFound,            // a named file, table or record does not exist
  kAlreadyExists,       // e.g. a file already ingested (same checksum)
  kFailedPrecondition,  // the system is not in a state to do this (e.g. newer store version)
  kDataLoss,            // unrecoverable corruption
  kUnavailable,         // storage or I/O failure that may succeed on retry
  kInternal,            // a bug: an invariant did not hold
};

const char* StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "INVALID_ARGUMENT: message" (or "OK").
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status OkStatus() { return Status(); }
inline Status InvalidArgumentError(std::string m) {
  return Status(StatusCode::kInvalidArgument, std::move(m));
}
inline Status NotFoundError(std::string m) { return Status(StatusCode::kNotFound, std::move(m)); }
inline Status AlreadyExistsError(std::string m) {
  return Status(StatusCode::kAlreadyExists, std::move(m));
}
inline Status FailedPreconditionError(std::string m) {
  return Status(StatusCode::kFailedPrecondition, std::move(m));
}
inline Status DataLossError(std::string m) { return Status(StatusCode::kDataLoss, std::move(m)); }
inline Status UnavailableError(std::string m) {
  return Status(StatusCode::kUnavailable, std::move(m));
}
inline Status InternalError(std::string m) { return Status(StatusCode::kInternal, std::move(m)); }

// StatusOr<T>: either a value or a non-OK Status. Accessing value() on an error is a
// programmer error (asserts in debug builds).
template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(T value) : v_(std::move(value)) {}        // NOLINT: implicit by design
  StatusOr(Status status) : v_(std::move(status)) {  // NOLINT: implicit by design
    assert(!std::get<Status>(v_).ok() && "StatusOr constructed from OK status");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  Status status() const { return ok() ? OkStatus() : std::get<Status>(v_); }
  const T& value() const& {
    assert(ok());
    return std::get<T>(v_);
  }
  T& value() & {
    assert(ok());
    return std::get<T>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<T>(std::move(v_));
  }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace pioneer

#define PIONEER_CONCAT_INNER_(a, b) a##b
#define PIONEER_CONCAT_(a, b) PIONEER_CONCAT_INNER_(a, b)

// Returns from the enclosing function if `expr` (a Status) is not OK.
#define PIONEER_RETURN_IF_ERROR(expr)                  \
  do {                                                 \
    ::pioneer::Status pioneer_status_ = (expr);        \
    if (!pioneer_status_.ok()) return pioneer_status_; \
  } while (0)

// PIONEER_ASSIGN_OR_RETURN(auto x, Foo()); declares x from a StatusOr or returns its error.
#define PIONEER_ASSIGN_OR_RETURN(lhs, expr) \
  PIONEER_ASSIGN_OR_RETURN_IMPL_(PIONEER_CONCAT_(pioneer_statusor_, __LINE__), lhs, expr)
#define PIONEER_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                   \
  if (!tmp.ok()) return tmp.status();                  \
  lhs = std::move(tmp).value()
