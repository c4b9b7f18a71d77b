// The control for layering_build_enforced: the same include directories compile a file that
// includes only declared modules (plan -> base).
#include "pioneer/base/status.h"
#include "pioneer/plan/plan.h"
