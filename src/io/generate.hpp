#pragma once
// A deterministic generator of region-scale test databases (issue 3, Deliver 7).
//
// generate_database() creates a new store holding the seed catalogue (so the real plans, rules
// and minerals are there) and adds, inside Inner Mongolia's outline and in CGCS2000 lon/lat,
// synthetic mineral rights and the regional plan's zones in the counts seed 000 gives:
// 3,785 exploration and 4,266 mining rights (第一章第一节), 1,575 exploration blocks (第五章
// 第二节), 2,056 mining blocks (第六章第三节), 82 key mining areas (第六章第二节), 38 key
// exploration areas (第三章第三节), and 5,000 red-line / prohibited polygons of 1,000 vertices.
// The zones belong to the regional plan `nmg-2016` with ids prefixed `gen-`; every generated
// right and zone carries attributes.generated = true. See docs/generator.md.
//
// Determinism: everything is drawn from std::mt19937_64 (whose output the standard fixes) with
// distributions implemented here, one stream per layer, and coordinates are rounded to 1e-7°
// (about 1 cm). The same seed and scale give the same content (content_digest()).
#include "core/model.hpp"
#include "store/store.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace mineplan::io {

enum class GenerateScale { small, region, national };

// "small" | "region" | "national"; nullopt for anything else.
std::optional<GenerateScale> parse_generate_scale(std::string_view text);
std::string_view generate_scale_name(GenerateScale s);

// How many of each the generator makes at a scale: region = the seed-000 figures, national =
// ten times, small = one twentieth (rounded per sub-category, see docs/generator.md).
struct GenerateCounts {
  int exploration_rights = 0;
  int mining_rights = 0;
  int exploration_blocks = 0;
  int mining_blocks = 0;
  int coal_mining_blocks = 0; // part of mining_blocks
  int key_mining_areas = 0;
  int national_planned_areas = 0; // part of key_mining_areas
  int key_exploration_areas = 0;
  int red_lines = 0;
  int prohibited_areas = 0;
  int protected_polygon_vertices = 0; // distinct vertices of every red-line/prohibited polygon

  int rights() const { return exploration_rights + mining_rights; }
  int zones() const {
    return exploration_blocks + mining_blocks + key_mining_areas + key_exploration_areas +
           red_lines + prohibited_areas;
  }
};
GenerateCounts generate_counts(GenerateScale scale);

struct GenerateOptions {
  GenerateScale scale = GenerateScale::region;
  std::uint64_t seed = 0;
  // Progress lines (phase names and counts) for a command line; may be empty.
  std::function<void(const std::string &)> progress;
};

// Vertex totals are distinct vertices: ring points without the closing repeat.
struct GenerateReport {
  GenerateCounts counts; // what was written
  std::int64_t right_vertices = 0;
  std::int64_t block_vertices = 0; // planning blocks and key areas
  std::int64_t protected_vertices = 0;
  double seconds_catalogue = 0; // loading the seed catalogue into the new store
  double seconds_generate = 0;  // drawing, validating and measuring geometries
  double seconds_write = 0;     // import_rights / import_zones
  double seconds_total = 0;
  std::uintmax_t file_bytes = 0; // the store file after closing
};

// The plan the generated zones belong to, and their id prefix.
inline constexpr const char *kGeneratedPlanId = "nmg-2016";
inline constexpr const char *kGeneratedIdPrefix = "gen-";

// Creates `db` (refusing to overwrite an existing file), loads `catalogue` and generates into
// it. Throws mineplan::Error when the catalogue lacks what the generator needs (the region and
// county outlines, the plan nmg-2016, minerals of each category).
GenerateReport generate_database(const std::filesystem::path &db, const Catalogue &catalogue,
                                 const GenerateOptions &options);

// A digest (hex of two independent 64-bit FNV-1a hashes) of the content of every current right
// and every zone of every plan, read through the Store API: JSON form, WKB geometry and the
// official areas' exact bits. Timestamps of the file (imports log, gpkg_contents) are not
// content and are left out, so two generations with one seed compare equal.
std::string content_digest(store::Store &store);

} // namespace mineplan::io
