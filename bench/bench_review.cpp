// bench_review: one review's spatial checks on the generated region-scale database (issue 3,
// "Done when"). Not a test: prints figures only.
//
//   bench_review [--db PATH] [--scale region|small|national] [--seed N] [--n 1000]
//                [--rounds 5] [--data DIR] [--no-engine]
//
// Without --db (or with a --db that does not exist yet) the database is generated first
// (io::generate_database, printed: generation time and file size); an existing --db is reused.
// Then:
//  * the read model is built (readmodel::ReadModel::build: one pass over the store, no tiles),
//    whose review engine indexes every zone and current right: time, heap and peak RSS;
//  * N deterministic application boundaries of 50 vertices, 2-6 km across, inside the region
//    outline (half centred anywhere in the region, half near an existing right) are queried
//    with the three core queries of a review, each with its official-area overlaps:
//      1. red-line / prohibited polygons intersecting the boundary   (kinds red_line,
//         prohibited_area, reserve_core)
//      2. planning blocks holding (or meeting) it                     (exploration_block,
//         mining_block, concentrated_area; contains_boundary says "inside")
//      3. rights overlapping it                                       (layer right)
//    and their sum ("spatial checks") is reported as median / p90 / p99 / max per boundary
//    (each boundary timed in --rounds interleaved rounds, its fastest kept: the machine is
//    shared, and a preempted query is the scheduler's time; every sample's p99 is shown too),
//    beside the target (p99 <= 0.25 ms) and PostGIS 3.3's figures quoted in issue 3;
//  * the same boundaries as mining applications through review::ReviewEngine::review() (the
//    whole review: rules, spatial checks, findings), unless --no-engine.
// The live PostGIS comparison (same queries in SQL with GiST indexes, differential check of
// the results) is bench_postgis (issue 7), on the same boundaries (bench_boundaries.hpp).
#include "bench_boundaries.hpp"
#include "bench_support.hpp"
#include "geo/area.hpp"
#include "geo/geos.hpp"
#include "io/catalogue_loader.hpp"
#include "io/generate.hpp"
#include "readmodel/read_model.hpp"
#include "review/application.hpp"
#include "review/engine.hpp"
#include "review/spatial.hpp"
#include "store/store.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;
using namespace mineplan;
using Clock = std::chrono::steady_clock;

namespace {

constexpr double kTargetP99Ms = 0.25;
constexpr double kPostgisP50Ms = 1.5;
constexpr double kPostgisP99Ms = 2.7;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

struct Stats {
  double median = 0, p90 = 0, p99 = 0, max = 0, mean = 0;
};

Stats stats_of(std::vector<double> v) {
  Stats s;
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  auto rank = [&](double p) {
    std::size_t i = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size())));
    return v[std::min(v.size() - 1, i == 0 ? 0 : i - 1)];
  };
  s.median = v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
  s.p90 = rank(90);
  s.p99 = rank(99);
  s.max = v.back();
  double sum = 0;
  for (double x : v)
    sum += x;
  s.mean = sum / static_cast<double>(v.size());
  return s;
}

void print_row(const char *what, const Stats &s, const char *note = "") {
  std::printf("  %-38s %8.3f %8.3f %8.3f %8.3f %8.3f  %s\n", what, s.median, s.p90, s.p99, s.max,
              s.mean, note);
}

struct Args : bench::DatabaseArgs {
  int n = 1000;
  int rounds = 5;
  bool engine = true;
};

Args parse_args(int argc, char **argv) {
  Args a;
  bench::ArgReader r("bench_review",
                     "[--db PATH] [--scale region|small|national] [--seed N] [--n 1000] "
                     "[--rounds 5] [--data DIR] [--no-engine]",
                     argc, argv);
  while (r.next()) {
    if (bench::read_database_option(r, a)) continue;
    const std::string &k = r.key();
    if (k == "--seed")
      a.seed = r.unsigned64();
    else if (k == "--n")
      a.n = r.integer(1, 10'000'000);
    else if (k == "--rounds")
      a.rounds = r.integer(1, 1000);
    else if (k == "--no-engine")
      a.engine = false;
    else
      r.unknown();
  }
  return a;
}

Json geojson_of(const geo::MultiPolygon &mp) {
  Json ring = Json::array();
  for (const auto &p : mp.front().outer)
    ring.push_back(Json::array({p.x, p.y}));
  return Json{{"type", "Polygon"}, {"coordinates", Json::array({ring})}, {"crs", 4490}};
}

} // namespace

int main(int argc, char **argv) try {
  const Args args = parse_args(argc, argv);
  std::printf("bench_review — one review's spatial checks on a generated database\n");
  std::printf("machine: %ld online cores (shared with other work; figures are single-threaded)\n\n",
              sysconf(_SC_NPROCESSORS_ONLN));

  // 1. The database.
  std::optional<io::TempFolder> tmp;
  const fs::path db = bench::bench_database(args.db, args.data, args.scale, args.seed, tmp);
  std::printf("  store file size %.1f MB\n\n", static_cast<double>(fs::file_size(db)) / 1e6);

  auto st = store::Store::open(db.string());

  // 2. The read model (one pass over the store) and its review index: every zone with
  // geometry and every current right.
  const std::size_t heap0 = bench::heap_bytes();
  auto t0 = Clock::now();
  const auto model = readmodel::ReadModel::build(*st);
  const double build_ms = ms_since(t0);
  malloc_trim(0);
  const double heap_mb =
      static_cast<double>(bench::heap_bytes() - std::min(bench::heap_bytes(), heap0)) / 1e6;
  const review::SpatialIndex &index = model->engine->index();
  std::size_t zones = 0, rights = 0, vertices = 0;
  for (const auto *f : index.features()) {
    (f->layer == "zone" ? zones : rights) += 1;
    vertices += geo::vertex_count(f->lonlat);
  }
  std::printf("read model: %zu zones + %zu rights indexed (%zu ring points): read + built in "
              "%.0f ms, heap %.0f MB, process peak RSS %.0f MB\n",
              zones, rights, vertices, build_ms, heap_mb, bench::proc_mb("VmHWM:"));
  const std::vector<geo::Point> right_sites = bench::right_sites(model->rights);

  // 3. Boundaries: deterministic, inside the region outline (bench_boundaries.hpp).
  bench::Boundaries drawn = bench::review_boundaries(*st, right_sites, args.n, args.seed);
  const std::vector<geo::MultiPolygon> &boundaries = drawn.shapes;
  const std::vector<std::string> &jurisdictions = drawn.jurisdictions;
  std::printf("boundaries: %zu of 50 vertices, 2-6 km across, inside the region outline "
              "(half near an existing right)\n\n",
              boundaries.size());

  // 4. The three core queries.
  const std::vector<std::string> protected_kinds = {"red_line", "prohibited_area", "reserve_core"};
  const std::vector<std::string> block_kinds = {"exploration_block", "mining_block",
                                                "concentrated_area"};
  struct Hits {
    std::size_t protected_areas = 0, blocks = 0, inside_block = 0, rights = 0;
    double overlap_m2 = 0;
  };
  auto run_three = [&](const geo::MultiPolygon &b, Hits &h) {
    for (const auto &x : index.query(b, "zone", protected_kinds)) {
      ++h.protected_areas;
      h.overlap_m2 += x.overlap_m2;
    }
    for (const auto &x : index.query(b, "zone", block_kinds)) {
      ++h.blocks;
      h.inside_block += x.contains_boundary ? 1 : 0;
    }
    for (const auto &x : index.query(b, "right")) {
      ++h.rights;
      h.overlap_m2 += x.overlap_m2;
    }
  };
  {
    Hits warm; // warm-up pass: PROJ transformers per zone, caches
    for (const auto &b : boundaries)
      run_three(b, warm);
  }
  // Each boundary is timed in every round (rounds interleaved over all boundaries) and its
  // fastest round kept: on a shared machine a preempted query otherwise shows up as a 4 ms
  // "p99" that is the scheduler's, not ours. The raw samples' p99 is printed as well.
  const std::size_t nb = boundaries.size();
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> t_protected(nb, inf), t_blocks(nb, inf), t_rights(nb, inf), t_three(nb, inf),
      t_engine_spatial(nb, inf), raw_three, raw_step;
  Hits hits;
  for (int round = 0; round < args.rounds; ++round) {
    for (std::size_t i = 0; i < nb; ++i) {
      const auto &b = boundaries[i];
      auto a = Clock::now();
      auto h1 = index.query(b, "zone", protected_kinds);
      const double d1 = ms_since(a);
      a = Clock::now();
      auto h2 = index.query(b, "zone", block_kinds);
      const double d2 = ms_since(a);
      a = Clock::now();
      auto h3 = index.query(b, "right");
      const double d3 = ms_since(a);
      // What ReviewEngine::review runs: every zone kind, then every right.
      a = Clock::now();
      const auto z = index.query(b, "zone");
      const auto r = index.query(b, "right");
      const double d4 = ms_since(a);
      (void)z;
      (void)r;
      t_protected[i] = std::min(t_protected[i], d1);
      t_blocks[i] = std::min(t_blocks[i], d2);
      t_rights[i] = std::min(t_rights[i], d3);
      t_three[i] = std::min(t_three[i], d1 + d2 + d3);
      t_engine_spatial[i] = std::min(t_engine_spatial[i], d4);
      raw_three.push_back(d1 + d2 + d3);
      raw_step.push_back(d4);
      if (round > 0) continue;
      hits.protected_areas += h1.size();
      hits.blocks += h2.size();
      for (const auto &x : h2)
        hits.inside_block += x.contains_boundary ? 1 : 0;
      hits.rights += h3.size();
      for (const auto &x : h1)
        hits.overlap_m2 += x.overlap_m2;
      for (const auto &x : h3)
        hits.overlap_m2 += x.overlap_m2;
    }
  }
  const double n = static_cast<double>(boundaries.size());
  std::printf("hits per boundary (mean): red-line/prohibited %.2f, planning blocks %.2f (inside "
              "one: %.0f%% of boundaries), rights %.2f; overlap total %.1f km2\n\n",
              static_cast<double>(hits.protected_areas) / n, static_cast<double>(hits.blocks) / n,
              100.0 * static_cast<double>(hits.inside_block) / n,
              static_cast<double>(hits.rights) / n, hits.overlap_m2 / 1e6);

  std::printf("  %-38s %8s %8s %8s %8s %8s\n", "ms per boundary, best of rounds", "median", "p90",
              "p99", "max", "mean");
  print_row("1. red-line/prohibited + areas", stats_of(t_protected));
  print_row("2. containing planning blocks", stats_of(t_blocks));
  print_row("3. overlapping rights + areas", stats_of(t_rights));
  const Stats three = stats_of(t_three);
  print_row("A. three core queries, separately", three, "(1+2+3: three index calls)");
  const Stats step = stats_of(t_engine_spatial);
  print_row("B. a review's spatial step", step,
            "(as ReviewEngine::review: every zone kind, then every right)");
  std::printf("  every sample (%d rounds x %zu): A p99 %.3f ms, B p99 %.3f ms (machine load "
              "included)\n",
              args.rounds, nb, stats_of(raw_three).p99, stats_of(raw_step).p99);
  std::printf("\n  B answers the three core queries (and every other zone kind) with two index "
              "calls, validating\n  and projecting the boundary twice; A does it three times, "
              "as three SQL statements would.\n");
  auto verdict = [](const Stats &s) { return s.p99 <= kTargetP99Ms ? "MET" : "NOT MET"; };
  std::printf("\n  target p99 <= %.2f ms:  A %s (p99 %.3f ms),  B %s (p99 %.3f ms)\n", kTargetP99Ms,
              verdict(three), three.p99, verdict(step), step.p99);
  std::printf("  PostGIS 3.3, same three queries on this machine (quoted in issue 3: 8k rights, "
              "3.6k blocks,\n  5,000 red-line polygons of 1,000 vertices): p50 %.1f ms / p99 "
              "%.1f ms\n",
              kPostgisP50Ms, kPostgisP99Ms);
  std::printf(
      "    ratio PostGIS/ours:  A p50 %.1fx p99 %.1fx,  B p50 %.1fx p99 %.1fx\n",
      kPostgisP50Ms / std::max(three.median, 1e-9), kPostgisP99Ms / std::max(three.p99, 1e-9),
      kPostgisP50Ms / std::max(step.median, 1e-9), kPostgisP99Ms / std::max(step.p99, 1e-9));
  std::printf("  (PostGIS figures are quoted, not measured in this run: the live comparison on "
              "the same data,\n  with a differential check of the results, is bench_postgis)\n\n");

  // 5. Whole reviews through the engine.
  if (!args.engine) return 0;
  try {
    const review::ReviewEngine &engine = *model->engine; // the read model's
    struct Kind {
      const char *mineral;
      const char *unit;
      double scale;
      const char *method;
    };
    const Kind kinds[] = {{"建筑用砂", "万立方米/年", 10, "open-pit"},
                          {"金", "万吨/年", 6, "underground"},
                          {"萤石", "万吨/年", 5, "underground"},
                          {"煤炭", "万吨/年", 120, "open-pit"}};
    std::vector<review::Application> apps;
    const auto &minerals = engine.minerals();
    for (std::size_t i = 0; i < boundaries.size(); ++i) {
      const Kind &k = kinds[i % 4];
      Json j{{"kind", "mining"},
             {"action", "new"},
             {"jurisdiction", jurisdictions[i]},
             {"date", "2023-06-01"},
             {"applicant", {{"name", "基准测试矿业有限公司"}, {"type", "company"}}},
             {"minerals", Json::array({k.mineral})},
             {"scale", {{"value", k.scale}, {"unit", k.unit}}},
             {"method", k.method},
             {"service_years", 10},
             {"boundary", geojson_of(boundaries[i])}};
      apps.push_back(review::parse_application(j, fs::current_path(), minerals));
    }
    for (std::size_t i = 0; i < std::min<std::size_t>(apps.size(), 50); ++i)
      (void)engine.review(apps[i]); // warm-up
    std::vector<double> t_review(apps.size(), inf), raw_review;
    std::map<std::string, int> verdicts;
    std::size_t findings = 0;
    for (int round = 0; round < args.rounds; ++round)
      for (std::size_t i = 0; i < apps.size(); ++i) {
        const auto a = Clock::now();
        const review::ReviewResult res = engine.review(apps[i]);
        const double d = ms_since(a);
        t_review[i] = std::min(t_review[i], d);
        raw_review.push_back(d);
        if (round > 0) continue;
        ++verdicts[res.verdict];
        findings += res.findings.size();
      }
    std::printf("  %-38s %8s %8s %8s %8s %8s\n", "ms per application, best of rounds", "median",
                "p90", "p99", "max", "mean");
    print_row("ReviewEngine::review() (whole)", stats_of(t_review));
    std::printf("  every sample: p99 %.3f ms\n", stats_of(raw_review).p99);
    std::printf("  verdicts:");
    for (const auto &[v, c] : verdicts)
      std::printf(" %s %d", v.c_str(), c);
    std::printf("; %.1f findings per review\n", static_cast<double>(findings) / n);
  } catch (const std::exception &e) {
    std::printf("ReviewEngine::review(): not measured: %s\n", e.what());
  }
  return 0;
} catch (const std::exception &e) {
  std::fprintf(stderr, "bench_review: %s\n", e.what());
  return 1;
}
