// The person simulator: one synthetic person's life in the area over the window.
//
// People are independent given the area, which is what makes generation parallel and
// deterministic: person i's life depends only on (seed, i) and the shared, immutable area.
// Persons 0..initial-1 are residents on the window start; the next `births` are born in the
// window and the last `in_migrants` move in during it.
//
// The simulation is event-driven with piecewise-constant hazards. Within each segment (at most
// a calendar month, shorter around scheduled events such as the end of a reablement episode or
// the 30/91-day marks after a discharge) the person faces competing hazards: emergency
// admission by cause, elective admission, death, leaving the area, moving house, a change of
// surname, a social care request, a community-route care-home admission and care-home
// transitions. The next event time is exponential in the total hazard; the event type is
// chosen in proportion to its hazard. Hospital stays move the clock to the discharge.
// Lower-volume activity that does not change the person's state (GP consultations, A&E
// attendances not admitted, outpatients, community and mental health contacts) is drawn per
// month from Poisson counts given the state at the start of the month and then dropped where
// it falls inside a hospital stay or after death or departure.
//
// Simulation starts 91 days before the window for residents (a burn-in, so spells and care
// episodes are already in progress on the first day) but nobody dies or leaves before the
// window start, so exactly `initial` people live in the area on that day.
//
// Thread safety: a PersonSimulator is not thread-safe; use one per thread. The SimContext it
// refers to must outlive it and is only read.
#pragma once

#include <cstdint>
#include <memory>

#include "pioneer/synth/area.h"
#include "pioneer/synth/calendar.h"
#include "pioneer/synth/history.h"
#include "pioneer/synth/names.h"

namespace pioneer::synth {

struct SimContext {
  const Area* area = nullptr;
  const NameTables* names = nullptr;
  uint64_t seed = 1;
  Day window_start = 0;  // first day
  Day window_end = 0;    // last day (inclusive)
  uint64_t initial = 0;
  uint64_t births = 0;
  uint64_t in_migrants = 0;
  uint64_t total() const { return initial + births + in_migrants; }
};

class PersonSimulator {
 public:
  explicit PersonSimulator(const SimContext& context);
  ~PersonSimulator();
  PersonSimulator(const PersonSimulator&) = delete;
  PersonSimulator& operator=(const PersonSimulator&) = delete;

  // Simulates person `index` into `out` (cleared first). REQUIRES: index < context.total().
  void Simulate(uint64_t index, PersonHistory* out);

 private:
  class Life;
  struct Scratch;  // buffers reused from person to person
  const SimContext& context_;
  std::unique_ptr<Scratch> scratch_;
};

}  // namespace pioneer::synth
