// Compiled by the layering_build_enforced test with the include directories of the `plan`
// module, which declares only `base`: it must fail because store/ is not reachable.
#include "pioneer/base/status.h"
#include "pioneer/store/store.h"
