#include "pioneer/ingest/date_order_rules.h"

namespace pioneer::ingest {
namespace {

constexpr DateOrderRule kRules[] = {
    {"apc_episodes", "admission_date", "discharge_date"},
    {"apc_episodes", "admission_date", "episode_start_date"},
    {"apc_episodes", "episode_start_date", "episode_end_date"},
    {"ae_attendances", "arrival_date", "departure_date"},
    {"social_care_events", "event_start_date", "event_end_date"},
    {"social_care_events", "birth_date", "death_date"},
    {"gp_registrations", "registration_start_date", "registration_end_date"},
    {"pds", "birth_date", "death_date"},
    {"pds", "effective_from", "effective_to"},
};

}  // namespace

std::span<const DateOrderRule> AllDateOrderRules() { return kRules; }

}  // namespace pioneer::ingest
