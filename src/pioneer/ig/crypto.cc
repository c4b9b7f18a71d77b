#include "pioneer/ig/crypto.h"

#include <sodium.h>

#include <mutex>
#include <vector>

namespace pioneer::ig {
namespace {

std::string Hex(const unsigned char* bytes, size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, n);
  out.resize(n * 2);
  return out;
}

}  // namespace

Status InitCrypto() {
  if (sodium_init() < 0) return InternalError("libsodium could not be initialised");
  return OkStatus();
}

StatusOr<std::string> HashPassword(std::string_view password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return InternalError("password hashing ran out of memory");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view hash, std::string_view password) {
  std::string h(hash);  // NUL-terminated copy
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

void VerifyDummyPassword(std::string_view password) {
  static const std::string dummy = [] {
    auto h = HashPassword("pioneer-dummy-password");
    return h.ok() ? *h : std::string();
  }();
  (void)VerifyPassword(dummy, password);
}

std::string NewToken() {
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  char out[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(out, sizeof out, bytes, sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return std::string(out);
}

std::string TokenDigest(std::string_view token) {
  unsigned char h[32];
  crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), nullptr, 0);
  return Hex(h, sizeof h);
}

StatusOr<Pseudonymiser> Pseudonymiser::ForStore(store::Store& store) {
  std::string hex;
  PIONEER_RETURN_IF_ERROR(store.Query("SELECT key_hex FROM ig_keys WHERE name = 'pseudonym'", {},
                                      [&](const store::RowView& r) { hex = r.Text(0); }));
  if (hex.empty()) {
    unsigned char key[32];
    randombytes_buf(key, sizeof key);
    hex = Hex(key, sizeof key);
    store::Param p[] = {store::Param::Of(hex)};
    PIONEER_RETURN_IF_ERROR(
        store
            .Execute("INSERT INTO ig_keys(name, key_hex) VALUES('pseudonym', ?1) "
                     "ON CONFLICT DO NOTHING",
                     p)
            .status());
    // Another process may have won the race: read back what is stored.
    PIONEER_RETURN_IF_ERROR(store.Query("SELECT key_hex FROM ig_keys WHERE name = 'pseudonym'", {},
                                        [&](const store::RowView& r) { hex = r.Text(0); }));
  }
  std::string key(32, '\0');
  size_t len = 0;
  if (sodium_hex2bin(reinterpret_cast<unsigned char*>(key.data()), key.size(), hex.data(),
                     hex.size(), nullptr, &len, nullptr) != 0 ||
      len != 32) {
    return InternalError("the pseudonymisation key in ig_keys is damaged");
  }
  return Pseudonymiser(std::move(key));
}

std::string Pseudonymiser::Key(const NhsNumber& person) const {
  unsigned char h[16];
  crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(person.digits().data()),
                     person.digits().size(), reinterpret_cast<const unsigned char*>(key_.data()),
                     key_.size());
  return Hex(h, sizeof h);
}

}  // namespace pioneer::ig
