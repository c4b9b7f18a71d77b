#include "pioneer/synth/extract_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "pioneer/base/date.h"
#include "pioneer/synth/care_plans.h"
#include "pioneer/synth/csv_out.h"
#include "pioneer/synth/names.h"

namespace pioneer::synth {
namespace {

using SV = std::string_view;

constexpr SV kPdsColumns[] = {"nhs_number",     "record_type",      "family_name",
                              "given_name",     "other_given_name", "sex",
                              "birth_date",     "death_date",       "postcode",
                              "address_line_1", "gp_practice_code", "lsoa_code",
                              "effective_from", "effective_to"};
constexpr SV kRegistrationColumns[] = {"registration_id",       "nhs_number",
                                       "gp_practice_code",      "registration_start_date",
                                       "registration_end_date", "deregistration_reason"};
constexpr SV kGpEventColumns[] = {"event_id",   "nhs_number",        "gp_practice_code",
                                  "event_date", "snomed_concept_id", "value"};
constexpr SV kApcColumns[] = {"episode_id",       "spell_id",
                              "episode_number",   "episode_status",
                              "episode_type",     "nhs_number",
                              "provider_code",    "gp_practice_code",
                              "admission_date",   "admission_method",
                              "admission_source", "patient_classification",
                              "main_specialty",   "episode_start_date",
                              "episode_end_date", "discharge_date",
                              "discharge_method", "discharge_destination",
                              "age_on_admission", "sex",
                              "lsoa_code",        "diag_01",
                              "diag_02",          "diag_03",
                              "diag_04",          "diag_05",
                              "diag_06",          "cause",
                              "opertn_01",        "opertn_02",
                              "opertn_03",        "discharge_ready_date",
                              "delay_agency",     "delay_reason"};
constexpr SV kAeColumns[] = {"attendance_id",       "nhs_number",      "provider_code",
                             "arrival_date",        "arrival_mode",    "department_type",
                             "attendance_category", "age_at_arrival",  "sex",
                             "lsoa_code",           "chief_complaint", "disposal",
                             "departure_date"};
constexpr SV kOpColumns[] = {"appointment_id",   "nhs_number",          "provider_code",
                             "appointment_date", "treatment_specialty", "first_attendance",
                             "attended",         "age_at_appointment",  "sex",
                             "lsoa_code"};
constexpr SV kCommunityColumns[] = {"contact_id", "nhs_number",   "provider_code",
                                    "team_type",  "contact_date", "contact_location",
                                    "attended",   "referral_id"};
constexpr SV kMhColumns[] = {"contact_id", "nhs_number",   "provider_code",
                             "team_type",  "contact_date", "attended"};
constexpr SV kSocialCareColumns[] = {
    "event_id",        "la_code",          "la_person_id",   "nhs_number",
    "family_name",     "given_name",       "birth_date",     "sex",
    "postcode",        "event_type",       "service_type",   "service_term",
    "route_of_access", "event_start_date", "event_end_date", "weekly_cost",
    "funding",         "outcome",          "death_date"};

constexpr const char* kFileNames[kPersonFileCount] = {"pds.csv",
                                                      "gp_registrations.csv",
                                                      "gp_events.csv",
                                                      "apc_episodes.csv",
                                                      "ae_attendances.csv",
                                                      "op_appointments.csv",
                                                      "community_contacts.csv",
                                                      "mh_contacts.csv",
                                                      "social_care_events.csv",
                                                      "truth/persons.csv",
                                                      "truth/record_truth.csv",
                                                      "care_plans/care_plans.csv"};

constexpr uint64_t kSeqBits = 20;
constexpr uint64_t kIdDomain = uint64_t{1} << 44;  // person index < 2^24, sequence < 2^20
constexpr uint64_t kClientIdDomain = uint64_t{1} << 26;

// HES-style code with a dot after the third character ("J441" -> "J44.1", "I10X" -> "I10"),
// the styling one of the two acute trusts uses.
void AppendDotted(CsvOut& o, const char* code) {
  if (code == nullptr) {
    o.Empty();
    return;
  }
  const size_t n = std::strlen(code);
  if (n != 4) {
    o.Text(code);
    return;
  }
  char buf[6];
  if (code[3] == 'X') {
    o.Text(SV(code, 3));
    return;
  }
  buf[0] = code[0], buf[1] = code[1], buf[2] = code[2], buf[3] = '.', buf[4] = code[3];
  o.Text(SV(buf, 5));
}

// Appends v as at least 14 digits, zero-padded (record ids).
void AppendPadded14(std::string& s, uint64_t v) {
  char buf[24];
  int i = 24;
  do {
    buf[--i] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v > 0);
  while (i > 24 - 14) buf[--i] = '0';
  s.append(buf + i, 24 - i);
}

std::string Unformatted(const std::string& postcode) {
  std::string out;
  for (char c : postcode) {
    if (c == ' ') continue;
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

// One character of a unit postcode changed (hard model): a digit for a digit or a letter for
// a letter, after the two area letters, so the result is still a well-formed postcode.
std::string PostcodeTypo(const std::string& postcode, Rng& rng) {
  static constexpr char kUnitLetters[] = "ABDEFGHJLNPQRSTUWXYZ";
  std::string s = postcode;
  std::vector<size_t> positions;
  for (size_t i = 2; i < s.size(); ++i) {
    if (s[i] != ' ') positions.push_back(i);
  }
  if (positions.empty()) return s;
  const size_t i = positions[rng.Below(positions.size())];
  const char old = s[i];
  for (int attempt = 0; attempt < 8 && s[i] == old; ++attempt) {
    s[i] = old >= '0' && old <= '9' ? static_cast<char>('0' + rng.Below(10))
                                    : kUnitLetters[rng.Below(sizeof(kUnitLetters) - 1)];
  }
  return s;
}

}  // namespace

const char* PersonFileName(PersonFile f) { return kFileNames[f]; }

std::span<const std::string_view> PersonFileColumns(PersonFile f) {
  switch (f) {
    case kFilePds:
      return kPdsColumns;
    case kFileGpRegistrations:
      return kRegistrationColumns;
    case kFileGpEvents:
      return kGpEventColumns;
    case kFileApc:
      return kApcColumns;
    case kFileAe:
      return kAeColumns;
    case kFileOp:
      return kOpColumns;
    case kFileCommunity:
      return kCommunityColumns;
    case kFileMh:
      return kMhColumns;
    case kFileSocialCare:
      return kSocialCareColumns;
    default:
      return {};
  }
}

const char* TruthHeader(PersonFile f) {
  if (f == kFileCarePlans) return CarePlansHeader();
  if (f == kFileTruthPersons) {
    return "person_id,nhs_number,family_name,given_name,other_given_name,birth_date,sex,"
           "la_person_id,la_person_id_duplicate,entry_reason,entry_date,exit_reason,exit_date,"
           "lsoa_code,latent_risk,conditions";
  }
  return "file,record_id,true_nhs_number,fault";
}

void PopulationCounts::Add(const PopulationCounts& other) {
  if (counts.empty()) {
    *this = other;
    return;
  }
  for (size_t i = 0; i < counts.size() && i < other.counts.size(); ++i)
    counts[i] += other.counts[i];
}

void BlockOutput::Clear() {
  for (std::string& s : data) s.clear();
  rows.fill(0);
  std::fill(population.counts.begin(), population.counts.end(), 0);
  persons = deaths = left_area = 0;
}

void ExtractWriter::MidYears(Day window_start, Day window_end, int* first, int* count) {
  const int y0 = CivilFromDays(window_start).year;
  const int y1 = CivilFromDays(window_end).year;
  *first = 0;
  *count = 0;
  for (int y = y0; y <= y1; ++y) {
    const Day mid = DaysFromCivil(y, 6, 30);
    if (mid < window_start || mid > window_end) continue;
    if (*count == 0) *first = y;
    ++*count;
  }
}

ExtractWriter::ExtractWriter(const WriterContext& context)
    : context_(context),
      referral_ids_(kIdDomain, MixSeed(context.seed, static_cast<uint64_t>(Stream::kIds), 100)),
      client_ids_(kClientIdDomain,
                  MixSeed(context.seed, static_cast<uint64_t>(Stream::kIds), 101)) {
  for (int f = 0; f < kPersonFileCount; ++f) {
    ids_.emplace_back(kIdDomain, MixSeed(context.seed, static_cast<uint64_t>(Stream::kIds), f));
  }
}

class ExtractWriter::PersonWriter {
 public:
  PersonWriter(const ExtractWriter& w, const PersonHistory& h, BlockOutput* out)
      : w_(w),
        ctx_(w.context_),
        area_(*w.context_.area),
        h_(h),
        out_(*out),
        rng_(Rng::ForStream(w.context_.seed, Stream::kFaults, h.index)),
        nhs_(w.context_.nhs->ForPerson(h.index)) {}

  void WriteAll() {
    Pds();
    Registrations();
    GpEvents();
    Apc();
    Ae();
    Op();
    Community();
    Mh();
    SocialCare();
    AfterDeathFault();
    TruthPerson();
    Population();
    CarePlans();
  }

 private:
  std::string& Buf(PersonFile f) { return out_.data[f]; }
  void CarePlans() {
    out_.rows[kFileCarePlans] += WriteCarePlans(h_, nhs_, area_, ctx_.seed, ctx_.window_start,
                                                ctx_.window_end, &Buf(kFileCarePlans));
  }
  void Row(PersonFile f) { ++out_.rows[f]; }

  // A 14-digit record id for the person's seq-th record in file f.
  void AppendId(std::string& s, PersonFile f, uint64_t seq, const char* prefix = "") {
    const uint64_t v = w_.ids_[f].Apply((h_.index << kSeqBits) | (seq & ((1u << kSeqBits) - 1)));
    s += prefix;
    AppendPadded14(s, v);
  }
  std::string Id(PersonFile f, uint64_t seq, const char* prefix = "") {
    std::string s;
    AppendId(s, f, seq, prefix);
    return s;
  }

  void Truth(PersonFile f, std::string_view record_id, const std::string& faults) {
    CsvOut o(&Buf(kFileTruthRecords));
    o.Text(PersonFileName(f));
    o.Text(record_id);
    o.Text(nhs_);
    o.Text(faults);
    o.End();
    Row(kFileTruthRecords);
  }

  static void AddFault(std::string& faults, const char* name) {
    if (!faults.empty()) faults.push_back('+');
    faults += name;
  }

  const char* LsoaCode(Day d) const {
    const AddressPeriod& a = h_.AddressOn(d);
    return a.lsoa >= 0 ? area_.lsoas()[a.lsoa].code.c_str() : nullptr;
  }
  const char* PracticeCode(Day d) const {
    const int p = h_.PracticeOn(d);
    return p >= 0 ? area_.practice_code(p).c_str() : nullptr;
  }
  const char* Sex() const { return h_.sex == 2 ? "2" : "1"; }

  // --- PDS ---------------------------------------------------------------------------------
  void Pds() {
    std::vector<Day> bounds;
    for (const NamePeriod& n : h_.name_periods) bounds.push_back(n.from);
    for (const AddressPeriod& a : h_.address_periods) bounds.push_back(a.from);
    std::sort(bounds.begin(), bounds.end());
    bounds.erase(std::unique(bounds.begin(), bounds.end()), bounds.end());
    std::erase_if(bounds, [&](Day d) { return d > ctx_.window_end; });
    // Merge boundaries where nothing changes.
    std::vector<Day> starts;
    const std::string* prev_name = nullptr;
    const AddressPeriod* prev_addr = nullptr;
    for (Day b : bounds) {
      const std::string& name = h_.FamilyNameOn(b);
      const AddressPeriod& addr = h_.AddressOn(b);
      if (prev_name != nullptr && *prev_name == name && prev_addr->postcode == addr.postcode &&
          prev_addr->line1 == addr.line1) {
        continue;
      }
      starts.push_back(b);
      prev_name = &name;
      prev_addr = &addr;
    }
    for (size_t i = 0; i < starts.size(); ++i) {
      const bool current = i + 1 == starts.size();
      const Day from = starts[i];
      const AddressPeriod& addr = h_.AddressOn(from);
      CsvOut o(&Buf(kFilePds));
      o.Text(nhs_);
      o.Text(current ? "current" : "history");
      o.Text(h_.FamilyNameOn(from));
      o.Text(h_.given_name);
      o.Text(h_.other_given_name);
      o.Text(Sex());
      o.Date(h_.birth);
      o.Date(current && h_.Died() ? h_.exit_day : kNoDay);
      o.Text(addr.postcode);
      o.Text(addr.line1);
      const char* practice = nullptr;
      if (current && h_.exit != ExitKind::kLeftArea) practice = PracticeCode(ctx_.window_end);
      o.Code(practice);
      o.Code(addr.lsoa >= 0 ? area_.lsoas()[addr.lsoa].code.c_str() : nullptr);
      o.Date(from);
      o.Date(current ? kNoDay : starts[i + 1] - 1);
      o.End();
      Row(kFilePds);
    }
  }

  // --- GP registrations and events -------------------------------------------------------
  void Registrations() {
    uint64_t seq = 0;
    for (const Registration& r : h_.registrations) {
      ++seq;
      if (r.start > ctx_.window_end) continue;
      if (r.end != kNoDay && r.end < ctx_.window_start) continue;
      const bool open = r.end == kNoDay || r.end > ctx_.window_end;
      CsvOut o(&Buf(kFileGpRegistrations));
      o.Text(Id(kFileGpRegistrations, seq));
      o.Text(nhs_);
      o.Text(area_.practice_code(r.practice));
      o.Date(r.start);
      o.Date(open ? kNoDay : r.end);
      o.Code(open ? nullptr : r.reason);
      o.End();
      Row(kFileGpRegistrations);
    }
  }

  void GpEvents() {
    // A practice extract only holds people registered there during the window.
    int fallback = -1;
    for (const Registration& r : h_.registrations) {
      if (r.start <= ctx_.window_end && (r.end == kNoDay || r.end >= ctx_.window_start)) {
        fallback = r.practice;
        break;
      }
    }
    if (fallback < 0) return;
    uint64_t seq = 0;
    std::string& buf = Buf(kFileGpEvents);
    for (const GpEvent& e : h_.gp) {
      int p = h_.PracticeOn(e.date);
      if (p < 0) p = fallback;
      AppendId(buf, kFileGpEvents, ++seq);
      buf.push_back(',');
      buf += nhs_;
      buf.push_back(',');
      buf += area_.practice_code(p);
      buf.push_back(',');
      AppendIsoDate(buf, e.date);
      buf.push_back(',');
      buf += e.snomed;
      buf.push_back(',');
      if (e.value >= 0) fmt::format_to(std::back_inserter(buf), "{:.2f}", e.value);
      buf.push_back('\n');
      Row(kFileGpEvents);
    }
  }

  // --- Hospital ------------------------------------------------------------------------------
  void Apc() {
    uint64_t seq = 0;
    for (const Spell& s : h_.spells) {
      const std::string spell_id = Id(kFileApc, ++seq);
      const bool missing = rng_.Bernoulli(ctx_.faults.apc_nhs_missing);
      const bool bad_dates =
          s.discharge != kNoDay && rng_.Bernoulli(ctx_.faults.apc_discharge_before_admission);
      const bool dotted = s.provider == kOtherAcute;
      const char* practice = PracticeCode(s.admission);
      const char* lsoa = LsoaCode(s.admission);
      for (int e = 0; e < s.n_episodes; ++e) {
        const Episode& ep = s.episodes[e];
        const bool last = e + 1 == s.n_episodes;
        const size_t row_start = Buf(kFileApc).size();
        CsvOut o(&Buf(kFileApc));
        const std::string episode_id = spell_id + "-" + std::to_string(e + 1);
        o.Text(episode_id);
        o.Text(spell_id);
        o.Int(e + 1);
        o.Text(ep.end == kNoDay ? "3" : "1");
        o.Text(s.epitype);
        if (missing) {
          o.Empty();
        } else {
          o.Text(nhs_);
        }
        o.Text(area_.provider_code(s.provider));
        o.Code(practice);
        o.Date(s.admission);
        o.Text(s.method);
        o.Text(s.source);
        o.Text(s.classpat);
        o.Text(ep.specialty);
        o.Date(ep.start);
        o.Date(ep.end);
        Day discharge = last ? s.discharge : kNoDay;
        if (last && bad_dates) discharge = s.admission - rng_.Between(1, 30);
        o.Date(discharge);
        o.Code(last ? s.discharge_method : nullptr);
        o.Code(last ? s.discharge_destination : nullptr);
        o.Int(s.age_code);
        o.Text(Sex());
        o.Code(lsoa);
        for (int d = 0; d < 6; ++d) {
          if (dotted) {
            AppendDotted(o, ep.diag[d]);
          } else {
            o.Code(ep.diag[d]);
          }
        }
        if (dotted) {
          AppendDotted(o, ep.cause);
        } else {
          o.Code(ep.cause);
        }
        for (int p = 0; p < 3; ++p) {
          if (dotted) {
            AppendDotted(o, ep.opertn[p]);
          } else {
            o.Code(ep.opertn[p]);
          }
        }
        o.Date(last ? s.ready : kNoDay);
        o.Code(last && s.ready != kNoDay ? s.delay_agency : nullptr);
        o.Code(last && s.ready != kNoDay ? s.delay_reason : nullptr);
        o.End();
        Row(kFileApc);
        std::string faults;
        if (missing) AddFault(faults, fault::kNhsMissing);
        if (last && bad_dates) AddFault(faults, fault::kDischargeBeforeAdmission);
        if (rng_.Bernoulli(ctx_.faults.apc_duplicate_row)) {
          std::string& buf = Buf(kFileApc);
          const std::string row = buf.substr(row_start);
          buf += row;
          Row(kFileApc);
          AddFault(faults, fault::kDuplicateRow);
        }
        if (!faults.empty()) Truth(kFileApc, episode_id, faults);
      }
    }
  }

  void Ae() {
    uint64_t seq = 0;
    for (const AeAttendance& a : h_.ae) {
      const std::string id = Id(kFileAe, ++seq, "");
      const bool missing = rng_.Bernoulli(ctx_.faults.ae_nhs_missing);
      const bool sex_unknown = rng_.Bernoulli(ctx_.faults.ae_sex_not_known);
      CsvOut o(&Buf(kFileAe));
      o.Text(id);
      if (missing) {
        o.Empty();
      } else {
        o.Text(nhs_);
      }
      o.Text(area_.provider_code(a.provider));
      o.Date(a.arrival);
      o.Text(a.arrival_mode);
      o.Text(a.department_type);
      o.Text(a.category);
      o.Int(AgeOn(h_.birth, a.arrival));
      o.Text(sex_unknown ? "0" : Sex());
      o.Code(LsoaCode(a.arrival));
      o.Code(a.complaint);
      o.Text(a.disposal);
      o.Date(a.departure);
      o.End();
      Row(kFileAe);
      std::string faults;
      if (missing) AddFault(faults, fault::kNhsMissing);
      if (sex_unknown) AddFault(faults, fault::kSexNotKnown);
      if (!faults.empty()) Truth(kFileAe, id, faults);
    }
  }

  void OpRow(const OpAppointment& a, uint64_t seq, const char* extra_fault) {
    const std::string id = Id(kFileOp, seq);
    const bool missing = rng_.Bernoulli(ctx_.faults.op_nhs_missing);
    CsvOut o(&Buf(kFileOp));
    o.Text(id);
    if (missing) {
      o.Empty();
    } else {
      o.Text(nhs_);
    }
    o.Text(area_.provider_code(a.provider));
    o.Date(a.date);
    o.Text(a.specialty);
    o.Text(a.first ? "1" : "2");
    o.Text(a.attended);
    o.Int(AgeOn(h_.birth, a.date));
    o.Text(Sex());
    o.Code(LsoaCode(std::min(a.date, LastInAreaDay())));
    o.End();
    Row(kFileOp);
    std::string faults;
    if (missing) AddFault(faults, fault::kNhsMissing);
    if (extra_fault != nullptr) AddFault(faults, extra_fault);
    if (!faults.empty()) Truth(kFileOp, id, faults);
  }

  void Op() {
    uint64_t seq = 0;
    for (const OpAppointment& a : h_.op) OpRow(a, ++seq, nullptr);
    op_seq_ = seq;
  }

  void CommunityRow(const CommunityContact& c, uint64_t seq, const char* extra_fault) {
    const std::string id = Id(kFileCommunity, seq);
    const bool missing = rng_.Bernoulli(ctx_.faults.community_nhs_missing);
    CsvOut o(&Buf(kFileCommunity));
    o.Text(id);
    if (missing) {
      o.Empty();
    } else {
      o.Text(nhs_);
    }
    o.Text(area_.provider_code(kCommunityTrust));
    o.Text(c.team);
    o.Date(c.date);
    o.Text(c.location);
    o.Text(c.attended);
    const uint64_t ref =
        w_.referral_ids_.Apply((h_.index << kSeqBits) | static_cast<uint64_t>(c.referral));
    Buf(kFileCommunity).push_back(',');
    AppendPadded14(Buf(kFileCommunity), ref);
    o.End();
    Row(kFileCommunity);
    std::string faults;
    if (missing) AddFault(faults, fault::kNhsMissing);
    if (extra_fault != nullptr) AddFault(faults, extra_fault);
    if (!faults.empty()) Truth(kFileCommunity, id, faults);
  }

  void Community() {
    uint64_t seq = 0;
    for (const CommunityContact& c : h_.community) CommunityRow(c, ++seq, nullptr);
    community_seq_ = seq;
  }

  void Mh() {
    uint64_t seq = 0;
    for (const MhContact& c : h_.mh) {
      const std::string id = Id(kFileMh, ++seq);
      const bool missing = rng_.Bernoulli(ctx_.faults.mh_nhs_missing);
      CsvOut o(&Buf(kFileMh));
      o.Text(id);
      if (missing) {
        o.Empty();
      } else {
        o.Text(nhs_);
      }
      o.Text(area_.provider_code(kMentalHealthTrust));
      o.Text(c.team);
      o.Date(c.date);
      o.Text(c.attended);
      o.End();
      Row(kFileMh);
      if (missing) Truth(kFileMh, id, fault::kNhsMissing);
    }
  }

  Day LastInAreaDay() const { return h_.exit_day == kNoDay ? ctx_.window_end : h_.exit_day; }

  // One contact dated after the person's death (a clerical error that data-quality checks
  // should flag).
  void AfterDeathFault() {
    if (!h_.Died() || h_.exit_day >= ctx_.window_end - 2) return;
    if (!rng_.Bernoulli(ctx_.faults.activity_after_death)) return;
    const Day d = std::min(ctx_.window_end, h_.exit_day + rng_.Between(1, 60));
    if (rng_.Bernoulli(0.5)) {
      OpAppointment a{d, kMainAcute, "300", false, "5"};
      OpRow(a, ++op_seq_, fault::kActivityAfterDeath);
    } else {
      CommunityContact c{d, "district_nursing", "home", "5", 999};
      CommunityRow(c, ++community_seq_, fault::kActivityAfterDeath);
    }
  }

  // --- Social care -----------------------------------------------------------------------
  void SocialCare() {
    if (h_.social_care.empty()) return;
    const FaultRates& f = ctx_.faults;
    const std::string client_id = fmt::format("{:08d}", w_.client_ids_.Apply(h_.index));
    const std::string duplicate_id =
        fmt::format("{:08d}", w_.client_ids_.Apply(h_.index + (kClientIdDomain >> 1)));
    const bool client_missing = rng_.Bernoulli(f.sc_client_nhs_missing);
    std::string given = h_.given_name;
    bool given_variant = false;
    if (HasNameVariant(given) && rng_.Bernoulli(f.sc_given_name_variant)) {
      given = NameVariant(given, rng_);
      given_variant = true;
    }
    const bool upper = rng_.Bernoulli(f.sc_surname_upper_case);
    const bool strip = rng_.Bernoulli(f.sc_strip_diacritics);
    const bool drop_punct = rng_.Bernoulli(f.sc_drop_punctuation);
    const bool stale_surname = rng_.Bernoulli(f.sc_stale_surname);
    const bool stale_postcode = rng_.Bernoulli(f.sc_stale_postcode);
    const bool death_known = h_.Died() && rng_.Bernoulli(f.sc_death_date_known);
    const Day first_contact = h_.council_first_contact == kNoDay ? h_.social_care.front().start
                                                                 : h_.council_first_contact;
    uint64_t seq = 0;
    for (const ScEvent& e : h_.social_care) {
      const std::string id = Id(kFileSocialCare, ++seq);
      std::string faults;
      const size_t row_start = Buf(kFileSocialCare).size();
      CsvOut o(&Buf(kFileSocialCare));
      o.Text(id);
      o.Text(area_.la_code());
      const bool dup_client = h_.duplicate_council_record && e.start >= h_.duplicate_from;
      o.Text(dup_client ? duplicate_id : client_id);
      if (dup_client) AddFault(faults, fault::kDuplicateClient);
      // NHS Number.
      if (client_missing || rng_.Bernoulli(f.sc_row_nhs_missing)) {
        o.Empty();
        AddFault(faults, fault::kNhsMissing);
      } else if (rng_.Bernoulli(f.sc_nhs_mistyped)) {
        const double u = rng_.Uniform();
        NhsKeyingError kind = u < f.sc_mistype_other_person ? NhsKeyingError::kOtherPersonsNumber
                              : u < f.sc_mistype_other_person + f.sc_mistype_transposed
                                  ? NhsKeyingError::kAdjacentTransposed
                                  : NhsKeyingError::kDigitSubstituted;
        std::string wrong;
        if (kind == NhsKeyingError::kOtherPersonsNumber) {
          const uint64_t n = ctx_.nhs->person_count();
          uint64_t other = rng_.Below(n);
          if (other == h_.index) other = (other + 1) % n;
          wrong = ctx_.nhs->ForPerson(other);
        } else {
          wrong = MistypeNhsNumber(nhs_, kind, rng_);
        }
        o.Text(wrong);
        AddFault(faults, NhsKeyingErrorName(kind));
      } else {
        o.Text(nhs_);
      }
      // Names as the council holds them.
      const std::string& true_surname = h_.FamilyNameOn(e.start);
      std::string surname = true_surname;
      if (stale_surname) {
        const std::string& old = h_.FamilyNameOn(first_contact);
        if (old != true_surname) {
          surname = old;
          AddFault(faults, fault::kPreviousSurname);
        }
      }
      if (h_.sex == 2 && rng_.Bernoulli(f.sc_family_name_other)) {
        const std::string other = ctx_.names->Surname(rng_, NameOrigin::kBritish, 2);
        if (other != surname) {
          surname = other;
          AddFault(faults, fault::kFamilyNameOther);
        }
      }
      std::string forename = given;
      bool variant_here = given_variant;
      if (!given_variant && HasNameVariant(given) && rng_.Bernoulli(f.sc_row_given_name_variant)) {
        forename = NameVariant(given, rng_);
        variant_here = forename != given;
      }
      if (variant_here) AddFault(faults, fault::kGivenNameVariant);
      if (drop_punct && HasPunctuation(surname)) {
        surname = DropPunctuation(surname, rng_);
        AddFault(faults, fault::kPunctuationDropped);
      }
      if (strip && (HasDiacritics(surname) || HasDiacritics(forename))) {
        surname = StripDiacritics(surname);
        forename = StripDiacritics(forename);
        AddFault(faults, fault::kDiacriticsStripped);
      }
      if (upper) {
        surname = UpperAscii(surname);
        AddFault(faults, fault::kSurnameUpperCase);
      }
      if (rng_.Bernoulli(f.sc_name_typo)) {
        if (rng_.Bernoulli(0.5)) {
          surname = NameTypo(surname, rng_);
        } else {
          forename = NameTypo(forename, rng_);
        }
        AddFault(faults, fault::kNameTypo);
      }
      KeyingError(f.sc_given_name_keyed_wrong, &forename, fault::kGivenNameKeyedWrong, &faults);
      KeyingError(f.sc_family_name_keyed_wrong, &surname, fault::kFamilyNameKeyedWrong, &faults);
      if (rng_.Bernoulli(f.sc_names_swapped) && surname != forename) {
        std::swap(surname, forename);
        AddFault(faults, fault::kNamesSwapped);
      }
      if (rng_.Bernoulli(f.sc_given_name_missing)) {
        forename.clear();
        AddFault(faults, fault::kGivenNameMissing);
      }
      if (rng_.Bernoulli(f.sc_family_name_missing)) {
        surname.clear();
        AddFault(faults, fault::kFamilyNameMissing);
      }
      o.Text(surname);
      o.Text(forename);
      // Birth date.
      Day dob = h_.birth;
      const Ymd b = CivilFromDays(dob);
      const bool dob_missing = rng_.Bernoulli(f.sc_dob_missing);
      if (dob_missing) {
        dob = kNoDay;
        AddFault(faults, fault::kDobMissing);
      } else if (rng_.Bernoulli(f.sc_dob_implausible)) {
        dob = b.year >= 1905 && rng_.Bernoulli(0.5)
                  ? DaysFromCivil(1900, 1, 1)
                  : DaysFromCivil(b.year - 100, b.month, std::min(b.day, 28));
        AddFault(faults, fault::kDobImplausible);
      } else if (b.day <= 12 && b.day != b.month && rng_.Bernoulli(f.sc_dob_day_month_swapped)) {
        dob = DaysFromCivil(b.year, b.day, b.month);
        AddFault(faults, fault::kDobSwapped);
      }
      if (!dob_missing) dob = HardDateFaults(dob, death_known, &faults);
      o.Date(dob);
      if (rng_.Bernoulli(f.sc_sex_missing)) {
        o.Empty();
        AddFault(faults, fault::kSexMissing);
      } else if (rng_.Bernoulli(f.sc_sex_wrong)) {
        o.Text(h_.sex == 2 ? "1" : "2");
        AddFault(faults, fault::kSexWrong);
      } else {
        o.Text(Sex());
      }
      // Postcode.
      const std::string& true_postcode = h_.AddressOn(e.start).postcode;
      std::string postcode = true_postcode;
      if (stale_postcode) {
        const std::string& old = h_.AddressOn(first_contact).postcode;
        if (old != true_postcode) {
          postcode = old;
          AddFault(faults, fault::kPreviousPostcode);
        }
      }
      if (rng_.Bernoulli(f.sc_postcode_moved)) {
        const int here = h_.AddressOn(e.start).lsoa;
        const int lsoa = here >= 0 ? area_.NearbyLsoa(rng_, here) : area_.SampleLsoa(rng_);
        int street = 0, house = 0;
        area_.SampleAddress(rng_, lsoa, &street, &house);
        const std::string& moved = area_.Postcode(street, house);
        if (moved != postcode) {
          postcode = moved;
          AddFault(faults, fault::kPostcodeMoved);
        }
      }
      const bool postcode_missing = rng_.Bernoulli(f.sc_postcode_missing);
      if (!postcode_missing && rng_.Bernoulli(f.sc_postcode_typo)) {
        const std::string typo = PostcodeTypo(postcode, rng_);
        if (typo != postcode) {
          postcode = typo;
          AddFault(faults, fault::kPostcodeTypo);
        }
      }
      if (postcode_missing) {
        o.Empty();
        AddFault(faults, fault::kPostcodeMissing);
      } else if (rng_.Bernoulli(f.sc_postcode_unformatted)) {
        o.Text(Unformatted(postcode));
        AddFault(faults, fault::kPostcodeUnformatted);
      } else {
        o.Text(postcode);
      }
      o.Text(e.type);
      o.Code(e.service);
      o.Code(e.term);
      o.Code(e.route);
      o.Date(e.start);
      const bool open = e.end == kNoDay || e.end > ctx_.window_end;
      o.Date(open ? kNoDay : e.end);
      o.Money(e.weekly_cost);
      o.Code(e.funding);
      o.Code(open && e.type[0] == 's' ? nullptr : e.outcome);
      o.Date(death_known ? h_.exit_day : kNoDay);
      o.End();
      Row(kFileSocialCare);
      if (rng_.Bernoulli(f.sc_duplicate_row)) {
        std::string& buf = Buf(kFileSocialCare);
        const std::string row = buf.substr(row_start);
        buf += row;
        Row(kFileSocialCare);
        AddFault(faults, fault::kDuplicateRow);
      }
      if (!faults.empty()) Truth(kFileSocialCare, id, faults);
    }
  }

  // A keying error in *name with probability p (hard model), recorded when it changed it.
  void KeyingError(double p, std::string* name, const char* fault_name, std::string* faults) {
    if (name->empty() || !rng_.Bernoulli(p)) return;
    std::string typo = NameKeyingError(*name, rng_);
    if (typo == *name) return;
    *name = std::move(typo);
    AddFault(*faults, fault_name);
  }

  // The hard model's date faults after the default ones: year off by one, then one digit of
  // the decade, year, month or day changed. The result is always a real date, not after the
  // window's end nor (when the council records it) the death date; a draw that cannot
  // satisfy that leaves the date as it was.
  Day HardDateFaults(Day dob, bool death_known, std::string* faults) {
    const FaultRates& f = ctx_.faults;
    const Day latest = death_known && h_.exit_day != kNoDay ? std::min(h_.exit_day, ctx_.window_end)
                                                            : ctx_.window_end;
    if (rng_.Bernoulli(f.sc_dob_year_off_by_one)) {
      const Ymd d = CivilFromDays(dob);
      const int year = d.year + (rng_.Bernoulli(0.5) ? 1 : -1);
      const Day moved = DaysFromCivil(year, d.month, d.month == 2 ? std::min(d.day, 28) : d.day);
      if (moved <= latest) {
        dob = moved;
        AddFault(*faults, fault::kDobYearOffByOne);
      }
    }
    if (rng_.Bernoulli(f.sc_dob_digit_typo)) {
      static constexpr size_t kDigits[] = {2, 3, 5, 6, 8, 9};  // in YYYY-MM-DD
      const Ymd d = CivilFromDays(dob);
      const std::string text = fmt::format("{:04d}-{:02d}-{:02d}", d.year, d.month, d.day);
      for (int attempt = 0; attempt < 10; ++attempt) {
        std::string t = text;
        const size_t i = kDigits[rng_.Below(std::size(kDigits))];
        const char digit = static_cast<char>('0' + rng_.Below(10));
        if (digit == t[i]) continue;
        t[i] = digit;
        const auto parsed = Date::ParseIso(t);
        if (!parsed || parsed->days_since_epoch() > latest) continue;
        dob = parsed->days_since_epoch();
        AddFault(*faults, fault::kDobDigitTypo);
        break;
      }
    }
    return dob;
  }

  // --- Truth and population ----------------------------------------------------------------
  void TruthPerson() {
    CsvOut o(&Buf(kFileTruthPersons));
    o.Int(static_cast<int64_t>(h_.index));
    o.Text(nhs_);
    o.Text(h_.name_periods.back().family_name);
    o.Text(h_.given_name);
    o.Text(h_.other_given_name);
    o.Date(h_.birth);
    o.Text(Sex());
    if (h_.known_to_council) {
      o.Text(fmt::format("{:08d}", w_.client_ids_.Apply(h_.index)));
    } else {
      o.Empty();
    }
    if (h_.known_to_council && h_.duplicate_council_record) {
      o.Text(fmt::format("{:08d}", w_.client_ids_.Apply(h_.index + (kClientIdDomain >> 1))));
    } else {
      o.Empty();
    }
    o.Text(h_.entry == EntryKind::kResident ? "resident"
           : h_.entry == EntryKind::kBirth  ? "birth"
                                            : "in_migration");
    o.Date(h_.entry_day);
    o.Text(h_.exit == ExitKind::kDied ? "died" : h_.exit == ExitKind::kLeftArea ? "left_area" : "");
    o.Date(h_.exit_day);
    o.Code(LsoaCode(LastInAreaDay() - (h_.exit == ExitKind::kLeftArea ? 1 : 0)));
    fmt::format_to(std::back_inserter(Buf(kFileTruthPersons)), ",{:.3f}", h_.latent_risk);
    std::string conditions;
    for (int c = 0; c < kConditionCount; ++c) {
      if (!Has(h_.conditions, static_cast<Condition>(c))) continue;
      if (!conditions.empty()) conditions.push_back('|');
      conditions += ConditionName(static_cast<Condition>(c));
    }
    o.Text(conditions);
    o.End();
    Row(kFileTruthPersons);
  }

  void Population() {
    ++out_.persons;
    if (h_.exit == ExitKind::kDied) ++out_.deaths;
    if (h_.exit == ExitKind::kLeftArea) ++out_.left_area;
    PopulationCounts& pop = out_.population;
    for (int y = pop.first_year; y < pop.first_year + pop.years; ++y) {
      const Day mid = DaysFromCivil(y, 6, 30);
      if (h_.birth > mid) continue;
      if (h_.entry_day != kNoDay && h_.entry_day > mid) continue;
      if (h_.exit_day != kNoDay && h_.exit_day <= mid) continue;
      pop.At(y, h_.sex, std::min(90, AgeOn(h_.birth, mid)))++;
    }
  }

  const ExtractWriter& w_;
  const WriterContext& ctx_;
  const Area& area_;
  const PersonHistory& h_;
  BlockOutput& out_;
  Rng rng_;
  std::string nhs_;
  uint64_t op_seq_ = 0;
  uint64_t community_seq_ = 0;
};

void ExtractWriter::Write(const PersonHistory& h, BlockOutput* out) const {
  PersonWriter(*this, h, out).WriteAll();
}

}  // namespace pioneer::synth
