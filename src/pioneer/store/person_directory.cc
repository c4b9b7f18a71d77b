#include "pioneer/store/person_directory.h"

#include <fmt/format.h>

#include "pioneer/store/master_index.h"
#include "pioneer/store/record_links.h"

namespace pioneer::store {
namespace {

std::string Quote(std::string_view ident) {
  std::string out = "\"";
  for (char c : ident) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// The SQL text of a fixed statement for dialect `d`: built once for SQLite (the backend the
// server runs on), on every call for any other dialect.
template <typename Build>
std::string SqlFor(const SqlDialect& d, Build build) {
  if (d.kind() == SqlDialect::Kind::kSqlite) {
    static const std::string sqlite = build(SqlDialect::Sqlite());
    return sqlite;
  }
  return build(d);
}

// SQL selecting the row ids of `table` rows placed on the person whose NHS Number is ?1: its
// own valid number without a usable link, or a usable link traced to the person.
std::string PlacedRowsSql(std::string_view table, const SqlDialect& d) {
  return fmt::format(
      "SELECT {3} FROM {0} t WHERE t.nhs_number = ?1 AND t.nhs_number_status = 'valid' "
      "AND NOT EXISTS (SELECT 1 FROM record_links l WHERE l.source_table = '{1}' AND "
      "l.row_id = {3} AND {2}) "
      "UNION SELECT l.row_id FROM record_links l WHERE l.source_table = '{1}' AND "
      "l.traced_nhs_number = ?1 AND {2}",
      Quote(table), table, UsableLinkSql("l"), d.RowId("t"));
}

// The row id then every field of `spec`, columns of table alias `alias`.
std::string FieldList(const SqlDialect& d, const formats::ExtractSpec& spec,
                      std::string_view alias) {
  std::string cols = d.RowId(std::string(alias));
  for (const formats::FieldSpec& f : spec.fields)
    cols += fmt::format(", {}.{}", alias, Quote(f.name));
  return cols;
}

// LIKE pattern for "starts with `s`", escaping the wildcards (ESCAPE '\').
std::string StartsWithPattern(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out + "%";
}

}  // namespace

StatusOr<std::optional<NhsNumber>> PersonDirectory::PersonOfPatientId(int64_t patient_id) {
  std::optional<NhsNumber> person;
  Param p[] = {Param::Of(patient_id)};
  const std::string sql = SqlFor(store_.dialect(), [](const SqlDialect& d) {
    return fmt::format("SELECT p.nhs_number FROM {} p WHERE {} = ?1 AND {}",
                       formats::kMasterIndexTable, d.RowId("p"), SpeakingPersonRowSql("p", d));
  });
  PIONEER_RETURN_IF_ERROR(
      store_.Query(sql, p, [&](const RowView& r) { person = NhsNumber::Parse(r.Text(0)); }));
  return person;
}

StatusOr<PersonStanding> PersonDirectory::Standing(const NhsNumber& person) {
  PersonStanding out;
  Param p[] = {Param::Of(person.digits())};
  const std::string sql = SqlFor(store_.dialect(), [](const SqlDialect& d) {
    return fmt::format(
        "SELECT EXISTS (SELECT 1 FROM ig_objections WHERE nhs_number = ?1), "
        "coalesce((SELECT {0} FROM {1} p WHERE p.nhs_number = ?1 AND {2}), 0)",
        d.RowId("p"), formats::kMasterIndexTable, SpeakingPersonRowSql("p", d));
  });
  PIONEER_RETURN_IF_ERROR(store_.Query(sql, p, [&](const RowView& r) {
    out.objects = r.Int(0) != 0;
    out.patient_id = r.Int(1);
  }));
  return out;
}

StatusOr<bool> PersonDirectory::IsRegisteredAt(const NhsNumber& person, std::string_view practice) {
  bool found = false;
  Param p[] = {Param::Of(person.digits()), Param::Of(practice)};
  const std::string sql = SqlFor(store_.dialect(), [](const SqlDialect& d) {
    return fmt::format(
        "SELECT 1 FROM {} p WHERE p.nhs_number = ?1 AND {} AND p.gp_practice_code = ?2 "
        "UNION ALL SELECT 1 FROM gp_registrations WHERE {} IN ({}) AND "
        "gp_practice_code = ?2 AND registration_end_date IS NULL LIMIT 1",
        formats::kMasterIndexTable, SpeakingPersonRowSql("p", d), d.RowIdColumn(),
        PlacedRowsSql("gp_registrations", d));
  });
  PIONEER_RETURN_IF_ERROR(store_.Query(sql, p, [&](const RowView&) { found = true; }));
  return found;
}

StatusOr<bool> PersonDirectory::HasOpenSocialCareWith(const NhsNumber& person,
                                                      std::string_view council) {
  bool found = false;
  Param p[] = {Param::Of(person.digits()), Param::Of(council)};
  const std::string sql = SqlFor(store_.dialect(), [](const SqlDialect& d) {
    return fmt::format(
        "SELECT 1 FROM social_care_events WHERE {} IN ({}) AND la_code = ?2 AND "
        "event_end_date IS NULL LIMIT 1",
        d.RowIdColumn(), PlacedRowsSql("social_care_events", d));
  });
  PIONEER_RETURN_IF_ERROR(store_.Query(sql, p, [&](const RowView&) { found = true; }));
  return found;
}

StatusOr<std::optional<NhsNumber>> PersonDirectory::RecordOwner(std::string_view table,
                                                                int64_t row_id) {
  std::optional<NhsNumber> person;
  Param p[] = {Param::Of(table), Param::Of(row_id)};
  const std::string sql = fmt::format(
      "SELECT coalesce((SELECT l.traced_nhs_number FROM record_links l WHERE l.source_table = ?1 "
      "AND l.row_id = ?2 AND {}), CASE WHEN t.nhs_number_status = 'valid' THEN t.nhs_number END) "
      "FROM {} t WHERE {} = ?2",
      UsableLinkSql("l"), Quote(table), store_.dialect().RowId("t"));
  PIONEER_RETURN_IF_ERROR(store_.Query(sql, p, [&](const RowView& r) {
    if (!r.IsNull(0)) person = NhsNumber::Parse(r.Text(0));
  }));
  return person;
}

Status PersonDirectory::ReadCurrentPersonRow(const NhsNumber& person,
                                             const formats::ExtractSpec& pds,
                                             const RowCallback& fn) {
  Param p[] = {Param::Of(person.digits())};
  const SqlDialect& d = store_.dialect();
  return store_.Query(
      fmt::format("SELECT {} FROM {} p WHERE p.nhs_number = ?1 AND {}", FieldList(d, pds, "p"),
                  Quote(pds.table), SpeakingPersonRowSql("p", d)),
      p, fn);
}

Status PersonDirectory::ReadPlacedRecords(const NhsNumber& person, const formats::ExtractSpec& spec,
                                          const RecordFilter& filter, const RowCallback& fn) {
  std::vector<Param> params = {Param::Of(person.digits())};
  const SqlDialect& d = store_.dialect();
  const std::string rid = d.RowId("t");
  std::string sql = fmt::format("SELECT {} FROM {} t WHERE {} IN ({})", FieldList(d, spec, "t"),
                                Quote(spec.table), rid, PlacedRowsSql(spec.table, d));
  if (!filter.org_column.empty()) {
    params.push_back(Param::Of(filter.org));
    sql += fmt::format(" AND t.{} = ?{}", Quote(filter.org_column), params.size());
  }
  if (filter.row_id) {
    params.push_back(Param::Of(*filter.row_id));
    sql += fmt::format(" AND {} = ?{}", rid, params.size());
  }
  sql += " ORDER BY " + rid;
  return store_.Query(sql, params, fn);
}

StatusOr<std::vector<NhsNumber>> PersonDirectory::FindPeople(const PersonSearch& q, int64_t limit) {
  std::vector<Param> params;
  auto param = [&](Param p) {
    params.push_back(std::move(p));
    return fmt::format("?{}", params.size());
  };
  const SqlDialect& d = store_.dialect();
  const std::string prow = d.RowId("p");
  std::string sql = fmt::format("SELECT {}, p.nhs_number FROM {} p WHERE {}", prow,
                                formats::kMasterIndexTable, SpeakingPersonRowSql("p", d));
  if (q.nhs_number) sql += " AND p.nhs_number = " + param(Param::Of(q.nhs_number->digits()));
  if (q.patient_id) sql += " AND " + prow + " = " + param(Param::Of(*q.patient_id));
  for (const std::string& f : q.family) {
    sql += " AND p.family_name LIKE " + param(Param::Of(StartsWithPattern(f))) + " ESCAPE '\\'";
  }
  for (const std::string& g : q.given) {
    std::string ph = param(Param::Of(StartsWithPattern(g)));
    sql += fmt::format(
        " AND (p.given_name LIKE {0} ESCAPE '\\' OR p.other_given_name LIKE {0} ESCAPE '\\')", ph);
  }
  for (const std::string& n : q.name) {
    std::string ph = param(Param::Of(StartsWithPattern(n)));
    sql += fmt::format(
        " AND (p.family_name LIKE {0} ESCAPE '\\' OR p.given_name LIKE {0} ESCAPE '\\' OR "
        "p.other_given_name LIKE {0} ESCAPE '\\')",
        ph);
  }
  if (q.birth_from) sql += " AND p.birth_date >= " + param(Param::Of(*q.birth_from));
  if (q.birth_before) sql += " AND p.birth_date < " + param(Param::Of(*q.birth_before));
  if (q.sex) sql += " AND p.sex = " + param(Param::Of(*q.sex));
  const std::string person = q.person ? q.person->digits() : std::string();
  if (q.scope == PersonSearch::Scope::kOnePerson) {
    sql += " AND p.nhs_number = " + param(Param::Of(person));
  } else {
    std::string org = param(Param::Of(q.org_code));
    std::string team = param(Param::Of(q.team));
    std::string also = param(Param::Of(person));
    auto related_via = [&](std::string_view table, std::string_view condition) {
      return fmt::format(
          " OR p.nhs_number IN (SELECT t.nhs_number FROM {0} t WHERE {1} AND "
          "t.nhs_number_status = 'valid') OR p.nhs_number IN (SELECT l.traced_nhs_number FROM "
          "record_links l JOIN {0} t ON l.source_table = '{0}' AND {3} = l.row_id WHERE {1} "
          "AND {2})",
          table, condition, UsableLinkSql("l"), d.RowId("t"));
    };
    sql += " AND (p.gp_practice_code = " + org +
           related_via(
               "gp_registrations",
               fmt::format("t.gp_practice_code = {} AND t.registration_end_date IS NULL", org)) +
           related_via("social_care_events",
                       fmt::format("t.la_code = {} AND t.event_end_date IS NULL", org)) +
           fmt::format(
               " OR p.nhs_number IN (SELECT nhs_number FROM ig_caseloads WHERE org_code "
               "= {} AND team = {} AND team != '')",
               org, team) +
           // Open care plans involving the organisation (organisations are stored
           // ';'-separated, careplan/plan_store.h).
           fmt::format(
               " OR p.nhs_number IN (SELECT nhs_number FROM care_plans WHERE status IN "
               "('active', 'on-hold') AND end_date IS NULL AND (coordinator_org = {0} OR ';' || "
               "organisations || ';' LIKE '%;' || {0} || ';%'))",
               org) +
           " OR p.nhs_number = " + also + ")";
  }
  sql += fmt::format(" ORDER BY {} LIMIT {}", prow, limit);
  std::vector<NhsNumber> out;
  PIONEER_RETURN_IF_ERROR(store_.Query(sql, params, [&](const RowView& r) {
    if (auto n = NhsNumber::Parse(r.Text(1))) out.push_back(*n);
  }));
  return out;
}

}  // namespace pioneer::store
