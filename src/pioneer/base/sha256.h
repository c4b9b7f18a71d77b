// SHA-256 digests (OpenSSL EVP), incremental or of a whole file.
//
// Used by ingest to recognise a file it has already stored (same bytes, same checksum).
// Thread safety: a Sha256 object is used from one thread at a time; the free functions are
// thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "pioneer/base/status.h"

namespace pioneer {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  // Adds bytes to the digest. REQUIRES: Finish has not been called.
  void Update(std::string_view bytes);
  // The digest of everything added, as 64 lower-case hex digits. Call once.
  std::string FinishHex();

 private:
  struct Ctx;
  std::unique_ptr<Ctx> ctx_;
};

// Digest of a byte string, as lower-case hex.
std::string Sha256Hex(std::string_view bytes);
// Digest of a file's bytes, as lower-case hex. kUnavailable if it cannot be read.
StatusOr<std::string> Sha256FileHex(const std::string& path);

}  // namespace pioneer
