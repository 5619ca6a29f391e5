// generate: a deterministic synthetic test database (issue 3, Deliver 7; docs/generator.md).
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "io/catalogue_loader.hpp"
#include "io/generate.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace mineplan::cli {
namespace {

constexpr const char *kUsage =
    "mineplan generate DB [--scale region|national|small] [--seed N] [--data DIR]";

int cmd_generate(const Args &args) {
  Options o(args, kUsage, {}, {"scale", "seed", "data"});
  const std::string &db = o.positional(0, "DB (the GeoPackage file to create)");
  o.expect_positionals(1);

  io::GenerateOptions opt;
  const std::string scale = o.value("scale").value_or("region");
  auto s = io::parse_generate_scale(scale);
  if (!s) o.fail("--scale must be region, national or small, not '" + scale + "'");
  opt.scale = *s;
  if (auto seed = o.value("seed")) {
    errno = 0;
    char *end = nullptr;
    const unsigned long long v = std::strtoull(seed->c_str(), &end, 10);
    if (seed->empty() || *end != '\0' || errno == ERANGE || seed->front() == '-')
      o.fail("--seed must be a non-negative integer, not '" + *seed + "'");
    opt.seed = v;
  }
  opt.progress = [](const std::string &line) { std::fprintf(stderr, "  %s\n", line.c_str()); };

  const Catalogue cat =
      io::load_catalogue(o.value("data").value_or(io::default_data_dir().string()));
  std::fprintf(stderr, "generating %s (scale %s, seed %llu)\n", db.c_str(), scale.c_str(),
               static_cast<unsigned long long>(opt.seed));
  const io::GenerateReport r = io::generate_database(db, cat, opt);

  const io::GenerateCounts &c = r.counts;
  std::printf("%s: scale %s, seed %llu (zones in plan %s, ids %s…)\n", db.c_str(), scale.c_str(),
              static_cast<unsigned long long>(opt.seed), io::kGeneratedPlanId,
              io::kGeneratedIdPrefix);
  std::printf("  rights                 %8d  (exploration %d, mining %d)  %12lld vertices\n",
              c.rights(), c.exploration_rights, c.mining_rights,
              static_cast<long long>(r.right_vertices));
  std::printf("  planning blocks        %8d  (exploration %d, mining %d of which coal %d)\n",
              c.exploration_blocks + c.mining_blocks, c.exploration_blocks, c.mining_blocks,
              c.coal_mining_blocks);
  std::printf("  key areas              %8d  (mining %d of which national planned %d, "
              "exploration %d)\n",
              c.key_mining_areas + c.key_exploration_areas, c.key_mining_areas,
              c.national_planned_areas, c.key_exploration_areas);
  std::printf("    blocks + key areas                                         %12lld vertices\n",
              static_cast<long long>(r.block_vertices));
  std::printf("  red-line / prohibited  %8d  (red line %d, prohibited %d; %d vertices each)  "
              "%12lld vertices\n",
              c.red_lines + c.prohibited_areas, c.red_lines, c.prohibited_areas,
              c.protected_polygon_vertices, static_cast<long long>(r.protected_vertices));
  std::printf("  time: %.1f s (catalogue %.1f s, generation %.1f s, writing %.1f s)\n",
              r.seconds_total, r.seconds_catalogue, r.seconds_generate, r.seconds_write);
  std::printf("  file: %.1f MB\n", static_cast<double>(r.file_bytes) / 1e6);
  return 0;
}

} // namespace

MINEPLAN_COMMAND("generate", cmd_generate, kUsage,
                 "create a deterministic synthetic test database (region / national / small)");

} // namespace mineplan::cli
