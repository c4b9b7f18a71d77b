#include "pioneer/ig/users.h"

#include <fmt/format.h>

#include "pioneer/ig/crypto.h"
#include "pioneer/store/utc_time.h"

namespace pioneer::ig {
namespace {

using store::Param;

constexpr const char* kSelectUser =
    "SELECT user_id, username, role, org_code, coalesce(team, ''), nhs_number, disabled, "
    "failed_logins, locked_until, password_hash FROM ig_users ";

struct Row {
  UserInfo info;
  std::string nhs_number;
  std::string password_hash;
};

Row ReadRow(const store::RowView& r) {
  Row row;
  row.info.user_id = r.Int(0);
  row.info.username = r.Text(1);
  row.info.role = ParseRole(r.Text(2)).value_or(Role::kAnalyst);
  row.info.org_code = r.Text(3);
  row.info.team = r.Text(4);
  row.info.bound_to_patient = !r.IsNull(5);
  row.nhs_number = r.Text(5);
  row.info.disabled = r.Int(6) != 0;
  row.info.failed_logins = static_cast<int>(r.Int(7));
  row.info.locked_until = r.Int(8);
  row.password_hash = r.Text(9);
  return row;
}

std::optional<Principal> ToPrincipal(const Row& row) {
  Principal p;
  p.user_id = row.info.user_id;
  p.username = row.info.username;
  p.role = row.info.role;
  p.org_code = row.info.org_code;
  p.team = row.info.team;
  if (row.info.role == Role::kPatient) {
    p.own_nhs_number = NhsNumber::Parse(row.nhs_number);
    if (!p.own_nhs_number) return std::nullopt;  // damaged row: never sign in
  }
  return p;
}

bool ValidOrgCode(std::string_view code) {
  if (code.empty() || code.size() > 12) return false;
  for (char c : code) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

}  // namespace

bool ValidUsername(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '@' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Status UserDirectory::Add(const NewUser& user, std::string_view password) {
  if (!ValidUsername(user.username)) {
    return InvalidArgumentError(
        "username must be 1-64 characters of letters, digits, '.', '_', '@' or '-'");
  }
  if (!ValidOrgCode(user.org_code)) {
    return InvalidArgumentError(
        "--org must be an organisation code (ODS code such as B86001, or a council's ONS code "
        "such as E08000035): upper-case letters and digits, at most 12");
  }
  if ((user.role == Role::kPatient) != user.nhs_number.has_value()) {
    return InvalidArgumentError(user.role == Role::kPatient
                                    ? "a patient account needs --nhs-number"
                                    : "--nhs-number is only for patient accounts");
  }
  if (password.size() < kMinPasswordLength) {
    return InvalidArgumentError(
        fmt::format("the password must have at least {} characters", kMinPasswordLength));
  }
  PIONEER_RETURN_IF_ERROR(InitCrypto());
  PIONEER_ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  bool exists = false;
  Param who[] = {Param::Of(user.username)};
  PIONEER_RETURN_IF_ERROR(store_.Query("SELECT 1 FROM ig_users WHERE username = ?1", who,
                                       [&](const store::RowView&) { exists = true; }));
  if (exists) return AlreadyExistsError(fmt::format("user '{}' already exists", user.username));
  Param p[] = {Param::Of(user.username),
               Param::Of(RoleName(user.role)),
               Param::Of(user.org_code),
               user.team.empty() ? Param::Null() : Param::Of(user.team),
               user.nhs_number ? Param::Of(user.nhs_number->digits()) : Param::Null(),
               Param::Of(hash),
               Param::Of(store::UtcNowIso8601())};
  return store_
      .Execute(
          "INSERT INTO ig_users(username, role, org_code, team, nhs_number, password_hash, "
          "created_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
          p)
      .status();
}

StatusOr<std::vector<UserInfo>> UserDirectory::List() {
  std::vector<UserInfo> out;
  PIONEER_RETURN_IF_ERROR(
      store_.Query(std::string(kSelectUser) + "ORDER BY username", {},
                   [&](const store::RowView& r) { out.push_back(ReadRow(r).info); }));
  return out;
}

Status UserDirectory::Disable(std::string_view username, int64_t now) {
  return store_.InTransaction([&]() -> Status {
    Param p[] = {Param::Of(username)};
    PIONEER_ASSIGN_OR_RETURN(
        int64_t n, store_.Execute("UPDATE ig_users SET disabled = 1 WHERE username = ?1", p));
    if (n == 0) return NotFoundError(fmt::format("no user '{}'", username));
    Param q[] = {Param::Of(now), Param::Of(username)};
    return store_
        .Execute(
            "UPDATE ig_tokens SET revoked_at = ?1 WHERE revoked_at IS NULL AND user_id = "
            "(SELECT user_id FROM ig_users WHERE username = ?2)",
            q)
        .status();
  });
}

std::optional<Principal> UserDirectory::SignIn(std::string_view username, std::string_view password,
                                               int64_t now, SignInFailure* failure) {
  *failure = SignInFailure::kBadCredentials;
  std::optional<Row> row;
  Param p[] = {Param::Of(username)};
  if (!store_
           .Query(std::string(kSelectUser) + "WHERE username = ?1", p,
                  [&](const store::RowView& r) { row = ReadRow(r); })
           .ok() ||
      !row) {
    VerifyDummyPassword(password);
    return std::nullopt;
  }
  if (row->info.locked_until > now) {
    VerifyDummyPassword(password);
    *failure = SignInFailure::kLocked;
    return std::nullopt;
  }
  bool good = VerifyPassword(row->password_hash, password);
  if (row->info.disabled) {
    *failure = SignInFailure::kDisabled;
    return std::nullopt;
  }
  Param id[] = {Param::Of(row->info.user_id), Param::Of(now + kLockoutSeconds),
                Param::Of(int64_t{kMaxFailedLogins})};
  if (!good) {
    // Count the failure; the fifth in a row locks the account.
    (void)store_.Execute(
        "UPDATE ig_users SET locked_until = CASE WHEN "
        "failed_logins + 1 >= ?3 THEN ?2 ELSE locked_until END, failed_logins = CASE WHEN "
        "failed_logins + 1 >= ?3 THEN 0 ELSE failed_logins + 1 END WHERE user_id = ?1",
        id);
    return std::nullopt;
  }
  Param reset[] = {Param::Of(row->info.user_id)};
  (void)store_.Execute("UPDATE ig_users SET failed_logins = 0 WHERE user_id = ?1", reset);
  auto principal = ToPrincipal(*row);
  if (principal) *failure = SignInFailure::kNone;
  return principal;
}

std::optional<Principal> UserDirectory::Load(int64_t user_id) {
  std::optional<Row> row;
  Param p[] = {Param::Of(user_id)};
  if (!store_
           .Query(std::string(kSelectUser) + "WHERE user_id = ?1", p,
                  [&](const store::RowView& r) { row = ReadRow(r); })
           .ok() ||
      !row || row->info.disabled) {
    return std::nullopt;
  }
  return ToPrincipal(*row);
}

}  // namespace pioneer::ig
