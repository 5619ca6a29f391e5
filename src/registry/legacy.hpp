#pragma once
// Legacy mine sites whose restoration is the government's (历史遗留矿山, lifecycle
// legacy-restoration.json): the sites the seeds name with their state, and the seeds' targets
// for legacy restoration measured from the acceptances recorded — the area accepted in the
// target's jurisdiction and period, or the share of its sites restored.
#include "registry/lifecycle.hpp"

#include <string>

namespace mineplan::registry {

// {registry, title, as_of, sites: [{id, name, jurisdiction, responsible, state, state_label,
// since, from_seed, accepted_km2, cite, about?, events}], targets: [{id, label, plan, target,
// jurisdiction, from, to, value | share, unit, achieved, status (met | open | no_data), sites,
// cite}]}. Steps up to `as_of` count.
Json legacy_overview(store::Store &store, const Lifecycle &lc, const std::string &as_of);

} // namespace mineplan::registry
