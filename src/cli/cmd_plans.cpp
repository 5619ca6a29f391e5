// init, plans, show: the plan database itself.
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "core/model_json.hpp"
#include "core/store_error.hpp"
#include "io/catalogue_loader.hpp"
#include "io/vocabulary_loader.hpp"
#include "store/store.hpp"

#include <cstdio>
#include <iostream>

namespace mineplan::cli {
namespace {

std::string level_zh(const std::string &level) {
  return io::vocabulary().label("division_levels", level);
}

Json summary_json(const store::PlanSummary &s) {
  Json j = to_json(s.plan);
  j["jurisdiction_name"] = s.jurisdiction_name;
  j["counts"] = Json{{"zones", s.zones},     {"zones_with_geometry", s.zones_with_geometry},
                     {"targets", s.targets}, {"rules", s.rules},
                     {"tables", s.tables},   {"rights", s.rights},
                     {"mines", s.mines},     {"statistics", s.statistics}};
  return j;
}

void print_summaries(store::Store &st) {
  auto plans = st.plan_summaries();
  std::printf("%zu plans in %s\n\n", plans.size(), st.location().c_str());
  std::printf("%-24s %-8s %-14s %-11s %6s %6s %6s %6s %6s %6s\n", "plan", "level", "jurisdiction",
              "period", "zones", "geom", "targets", "rules", "tables", "reg.");
  for (const auto &s : plans) {
    std::string period =
        std::to_string(s.plan.period_start) + "-" + std::to_string(s.plan.period_end);
    std::printf("%-24s %-8s %-14s %-11s %6d %6d %6d %6d %6d %6d\n", s.plan.id.c_str(),
                s.plan.level.c_str(), s.plan.jurisdiction.c_str(), period.c_str(), s.zones,
                s.zones_with_geometry, s.targets, s.rules, s.tables, s.mines + s.rights);
    std::printf("    %s %s《%s》\n", level_zh(s.plan.level).c_str(), s.jurisdiction_name.c_str(),
                s.plan.title.c_str());
  }
  std::printf("\ngeom = zones with surveyed geometry; reg. = rights and mines the seed lists\n");
}

} // namespace

int cmd_init(const Args &args) {
  Options o(args, "mineplan init DB [--data DIR] [--seeds DIR]", {}, {"data", "seeds"});
  const std::string &db = o.positional(0, "DB (the GeoPackage file to create)");
  o.expect_positionals(1);
  io::LoadOptions lo;
  if (auto seeds = o.value("seeds")) lo.seeds_dir = *seeds;
  Catalogue cat = io::load_catalogue(o.value("data").value_or(io::default_data_dir().string()), lo);
  auto st = store::Store::open(db, true);
  st->load_catalogue(cat);
  print_summaries(*st);
  return 0;
}

int cmd_plans(const Args &args) {
  Options o(args, "mineplan plans DB [--json]", {"json"});
  auto st = store::Store::open(o.positional(0, "DB"), store::Access::read);
  o.expect_positionals(1);
  if (o.flag("json")) {
    Json out = Json::array();
    for (const auto &s : st->plan_summaries())
      out.push_back(summary_json(s));
    std::cout << out.dump(2) << "\n";
  } else {
    print_summaries(*st);
  }
  return 0;
}

int cmd_show(const Args &args) {
  Options o(args, "mineplan show DB ID [--json]", {"json"});
  auto st = store::Store::open(o.positional(0, "DB"), store::Access::read);
  const std::string &id = o.positional(
      1, "ID (plan id, plan/zone id, licence number, mine uid, division code or mineral)");
  o.expect_positionals(2);
  Json j = st->show(id);
  if (j.is_null()) {
    std::fprintf(stderr, "mineplan show: nothing with id '%s'\n", id.c_str());
    return 1;
  }
  // The JSON is the stable form; the default view is the same content, indented for reading.
  std::cout << (o.flag("json") ? j.dump() : j.dump(2)) << "\n";
  return 0;
}

// Applies the migrations this mineplan knows and the store has not had yet: the one explicit
// way (besides write commands and `serve`) a store's schema changes. Read commands never do.
int cmd_migrate(const Args &args) {
  Options o(args, "mineplan migrate DB", {}, {});
  const std::string &db = o.positional(0, "DB (the store)");
  o.expect_positionals(1);
  const int before = [&] {
    // Read only: a store this mineplan cannot use is refused before anything is written.
    try {
      return store::Store::open(db, store::Access::read)->schema_version();
    } catch (const StoreError &e) {
      if (e.kind() != StoreError::Kind::needs_migration) throw;
      return -1;
    }
  }();
  auto st = store::Store::open(db, store::Access::write);
  const int after = st->schema_version();
  if (before == after)
    std::printf("%s: 结构版本 %d，已是最新（schema version %d, up to date）\n",
                st->location().c_str(), after, after);
  else
    std::printf("%s: 已升级到结构版本 %d（migrated to schema version %d）\n",
                st->location().c_str(), after, after);
  return 0;
}

MINEPLAN_COMMAND("migrate", cmd_migrate, "mineplan migrate DB",
                 "apply the schema migrations a store of an older mineplan lacks");
MINEPLAN_COMMAND("init", cmd_init, "mineplan init DB [--data DIR] [--seeds DIR]",
                 "create a store holding the seed plans");
MINEPLAN_COMMAND("plans", cmd_plans, "mineplan plans DB [--json]", "list the plans in a store");
MINEPLAN_COMMAND("show", cmd_show, "mineplan show DB ID [--json]",
                 "show a plan, zone, right, mine, … by id");

} // namespace mineplan::cli
