// import, export: rights, mines and zones in and out of the store (docs/import-export.md).
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "core/error.hpp"
#include "io/catalogue_loader.hpp"
#include "io/ledger.hpp"
#include "io/ogr_export.hpp"
#include "io/ogr_import.hpp"
#include "service/register.hpp"
#include "store/store.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>

namespace mineplan::cli {
namespace {

constexpr std::size_t kMaxProblemsShown = 50;

// data/ledger-columns.json: $MINEPLAN_DATA, else the data folder this binary was built with.
io::LedgerSchema load_schema() {
  return io::LedgerSchema::load(io::default_data_dir() / "ledger-columns.json");
}

void print_warnings(const std::vector<std::string> &warnings, const char *cmd) {
  std::size_t shown = 0;
  for (const auto &w : warnings) {
    if (++shown > 20) {
      std::fprintf(stderr, "mineplan %s: warning: … and %zu more warnings\n", cmd,
                   warnings.size() - 20);
      break;
    }
    std::fprintf(stderr, "mineplan %s: warning: %s\n", cmd, w.c_str());
  }
}

} // namespace

int cmd_import(const Args &args) {
  Options o(args,
            "mineplan import DB FILE [--layer rights|mines|zones] [--as-of DATE] [--plan ID] "
            "[--source-layer NAME] [--dry-run] [--json]",
            {"json", "dry-run"}, {"layer", "as-of", "plan", "source-layer"});
  const std::string &db = o.positional(0, "DB (the store)");
  const std::string &file =
      o.positional(1, "FILE (GeoPackage, Shapefile, GeoJSON, CSV, XLSX or coordinate .txt)");
  o.expect_positionals(2);

  io::ImportOptions io;
  io.layer = o.value("layer").value_or("rights");
  io.as_of = o.value("as-of").value_or("");
  io.plan = o.value("plan").value_or("");
  io.source_layer = o.value("source-layer").value_or("");
  io.dry_run = o.flag("dry-run");
  const bool json = o.flag("json");

  const io::LedgerSchema schema = load_schema();
  auto st = store::Store::open(db, store::Access::write);
  // The use case answers register changes with the registries' steps, as the system, in the
  // import's transaction (lifecycles from data/lifecycles; none for zones or a dry run).
  const bool versioned = io.layer == "rights" || io.layer == "mines";
  const auto lifecycles = versioned && !io.dry_run ? registry::load_lifecycles()
                                                   : std::map<std::string, registry::Lifecycle>{};
  const service::DivisionPlaces places({}); // the operator acts everywhere
  service::ImportRequest req;
  req.file = file;
  req.name = file;
  req.options = io;
  req.schema = &schema;
  service::ImportOutcome outcome = service::import_register(
      {*st, lifecycles, places, {}, {}}, service::Actor::operator_as("cli", "cli"), req);
  const io::ImportResult &r = outcome.result;
  const std::vector<registry::TriggeredStep> &answered = outcome.registry_steps;

  if (json) {
    Json out = r.json(kMaxProblemsShown);
    Json steps = Json::array();
    for (const auto &t : answered)
      steps.push_back(registry::to_json(t));
    out["registry_steps"] = steps;
    std::cout << out.dump(2) << "\n";
  }
  if (!r.problems.empty()) {
    if (!json) {
      std::fprintf(stderr, "mineplan import: %s: %zu problem(s); nothing was written\n",
                   file.c_str(), r.problems.size());
      std::size_t shown = 0;
      for (const auto &p : r.problems) {
        if (++shown > kMaxProblemsShown) {
          std::fprintf(stderr, "  … and %zu more\n", r.problems.size() - kMaxProblemsShown);
          break;
        }
        std::fprintf(stderr, "  %s: %s\n", file.c_str(), p.str().c_str());
      }
      print_warnings(r.warnings, "import");
    }
    return 2;
  }
  if (!json) {
    print_warnings(r.warnings, "import");
    std::string as_of = r.layer == "zones" ? "" : " as of " + r.as_of; // zones are not versioned
    std::printf("%s (%s, %s %s, %lld %s): %s%s%s\n", file.c_str(), r.format.c_str(),
                r.format == "coordinate file" ? "layout" : "layer", r.source_layer.c_str(),
                static_cast<long long>(r.records),
                r.format == "coordinate file" ? "parcels" : "records", r.layer.c_str(),
                as_of.c_str(), r.written ? "" : " (dry run: nothing written)");
    if (r.written)
      std::printf("inserted %lld, changed %lld, unchanged %lld\n",
                  static_cast<long long>(r.summary.inserted),
                  static_cast<long long>(r.summary.changed),
                  static_cast<long long>(r.summary.unchanged));
    for (const auto &t : answered) {
      const std::string outcome = t.recorded ? std::string("system: ")
                                                   .append(t.step.from_state)
                                                   .append(" → ")
                                                   .append(t.step.to_state)
                                             : std::string("not recorded: ").append(t.reason);
      std::printf("%s %s: %s (%s)\n", t.registry.c_str(), t.subject.c_str(), t.event.c_str(),
                  outcome.c_str());
    }
  }
  return 0;
}

int cmd_export(const Args &args) {
  Options o(args,
            "mineplan export DB --layer L [--format gpkg|shp|geojson|csv|xlsx|txt] OUT [--json]",
            {"json"}, {"layer", "format"});
  const std::string &db = o.positional(0, "DB (the store)");
  const std::string &out = o.positional(1, "OUT (the file to write)");
  o.expect_positionals(2);
  io::ExportOptions eo;
  auto layer = o.value("layer");
  if (!layer)
    o.fail("--layer is required (rights, mines, zones, divisions, plans, targets, rules …)");
  eo.layer = *layer;
  eo.format = o.value("format").value_or("");
  if (eo.format.empty() && io::format_for_path(out).empty())
    o.fail("--format is required when OUT has no known extension");

  const io::LedgerSchema schema = load_schema();
  auto st = store::Store::open(db, store::Access::write);
  io::ExportResult r = io::export_layer(*st, out, eo, schema);
  if (o.flag("json")) {
    std::cout << r.json().dump(2) << "\n";
    return 0;
  }
  print_warnings(r.warnings, "export");
  std::printf("exported %lld feature(s) of %s as %s:\n", static_cast<long long>(r.features),
              r.layer.c_str(), r.format.c_str());
  for (const auto &f : r.files)
    std::printf("  %s\n", f.c_str());
  if (!r.renamed.empty()) {
    std::printf("shapefile field names (10 characters at most):\n");
    for (const auto &[from, to] : r.renamed)
      std::printf("  %-20s -> %s\n", from.c_str(), to.c_str());
  }
  return 0;
}

MINEPLAN_COMMAND(
    "import", cmd_import,
    "mineplan import DB FILE [--layer rights|mines|zones] [--as-of DATE] [--plan ID] "
    "[--source-layer NAME] [--dry-run] [--json]",
    "import rights, mines or zones (GeoPackage, Shapefile, GeoJSON, CSV, XLSX, coordinate file)");
MINEPLAN_COMMAND("export", cmd_export,
                 "mineplan export DB --layer L --format gpkg|shp|geojson|csv|xlsx|txt OUT",
                 "export a layer");

} // namespace mineplan::cli
