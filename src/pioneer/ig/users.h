// UserDirectory: the accounts of the shared care record (table ig_users, docs/ig.md).
//
// Passwords are stored as Argon2id hashes (crypto.h). Lockout: after kMaxFailedLogins
// consecutive failures an account is locked for kLockoutSeconds; a successful sign-in resets
// the count. A disabled account cannot sign in and its tokens are revoked when it is
// disabled. Usernames: 1-64 characters from [A-Za-z0-9._@-].
// Errors: kInvalidArgument for bad input (role, username, patient without NHS Number, ...),
// kAlreadyExists for a taken username, kNotFound for an unknown username (Disable), and
// the store's errors.
// Thread safety: one UserDirectory per Store connection (one thread at a time).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pioneer/base/status.h"
#include "pioneer/ig/principal.h"
#include "pioneer/ig/role.h"
#include "pioneer/model/nhs_number.h"
#include "pioneer/store/store.h"

namespace pioneer::ig {

inline constexpr int kMaxFailedLogins = 5;
inline constexpr int64_t kLockoutSeconds = 15 * 60;
inline constexpr size_t kMinPasswordLength = 10;

struct NewUser {
  std::string username;
  Role role = Role::kAnalyst;
  std::string org_code;
  std::string team;                     // optional
  std::optional<NhsNumber> nhs_number;  // required for, and only for, patients
};

struct UserInfo {
  int64_t user_id = 0;
  std::string username;
  Role role = Role::kAnalyst;
  std::string org_code;
  std::string team;
  bool bound_to_patient = false;
  bool disabled = false;
  int failed_logins = 0;
  int64_t locked_until = 0;
};

// Why a sign-in failed. The server answers every failure the same way (invalid_grant), so
// a caller cannot tell an unknown username from a wrong password; the reason is audited.
enum class SignInFailure { kNone, kBadCredentials, kLocked, kDisabled };

class UserDirectory {
 public:
  explicit UserDirectory(store::Store& store) : store_(store) {}

  Status Add(const NewUser& user, std::string_view password);
  StatusOr<std::vector<UserInfo>> List();
  // Disables the account and revokes its tokens.
  Status Disable(std::string_view username, int64_t now);
  // Checks a password, applying the lockout. On success the Principal has no scopes yet
  // (tokens.h grants them). `failure` receives the reason on failure.
  std::optional<Principal> SignIn(std::string_view username, std::string_view password, int64_t now,
                                  SignInFailure* failure);
  // The account with this id (for token resolution); nullopt if absent or disabled.
  std::optional<Principal> Load(int64_t user_id);

 private:
  store::Store& store_;
};

// True if `name` is a valid username.
bool ValidUsername(std::string_view name);

}  // namespace pioneer::ig
