// The gate's cryptography, all from libsodium (Debian libsodium-dev):
//   * passwords: Argon2id (crypto_pwhash_str_alg, interactive limits), verified in
//     constant time; a dummy hash is verified for unknown users so timing does not reveal
//     which usernames exist;
//   * bearer tokens: 32 random bytes (randombytes_buf), URL-safe base64; the store keeps
//     only their BLAKE2b-256 digest, so a copy of the store does not yield usable tokens;
//   * pseudonymised person keys: keyed BLAKE2b-256 (crypto_generichash) of the NHS Number
//     under a 32-byte secret kept in the store (ig_keys); without the key the pseudonym
//     cannot be recomputed from a guessed NHS Number.
// Errors: kInternal when libsodium cannot initialise or hashing runs out of memory.
// Thread safety: every function is thread-safe after InitCrypto.
#pragma once

#include <string>
#include <string_view>

#include "pioneer/base/status.h"
#include "pioneer/model/nhs_number.h"
#include "pioneer/store/store.h"

namespace pioneer::ig {

// Initialises libsodium (idempotent; call before any other function here).
Status InitCrypto();

StatusOr<std::string> HashPassword(std::string_view password);
// True if `password` matches the stored Argon2id `hash`.
bool VerifyPassword(std::string_view hash, std::string_view password);
// Spends the same effort as VerifyPassword on a fixed hash (for unknown usernames).
void VerifyDummyPassword(std::string_view password);

// A new random bearer token (43 URL-safe characters).
std::string NewToken();
// Hex BLAKE2b-256 digest of a token: what the store keeps.
std::string TokenDigest(std::string_view token);

// Keyed pseudonyms of NHS Numbers for secondary use.
class Pseudonymiser {
 public:
  // The store's key (created on first use, in ig_keys).
  static StatusOr<Pseudonymiser> ForStore(store::Store& store);
  // For tests: a given 32-byte key.
  explicit Pseudonymiser(std::string key) : key_(std::move(key)) {}
  // 32 hex characters; the same person always gets the same key under one secret.
  std::string Key(const NhsNumber& person) const;

 private:
  std::string key_;
};

}  // namespace pioneer::ig
