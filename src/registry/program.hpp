#pragma once
// The consolidation program of seed 003 (乌拉特中旗非煤矿山整合提产方案) seen live: its zones
// and the rights planned in each, the six action categories with their implementing body and
// departments, the phases and where a date falls in them, and the program's figures computed
// by monitoring (the targets of plan urad-middle-2026). Restoration: the fund account and the
// area damaged vs restored per year of a mine.
#include "registry/lifecycle.hpp"

#include <string>

namespace mineplan::registry {

// The phase of the program (lifecycle extra.phases) a date falls in: its id, or empty before
// the first / after the last. Phases run from `from` to `to` inclusive.
std::string phase_on(const Lifecycle &consolidation, const std::string &date);

Json program_figures(store::Store &store, const Lifecycle &consolidation, const std::string &as_of);
void print_program_figures(const Json &figures);

// Per year: area damaged and restored (from report_area steps), the fund's accruals, uses and
// balance.
Json restoration_summary(const Lifecycle &restoration, const SubjectState &s);

} // namespace mineplan::registry
