// bench_tiles: the vector-tile engine (tiles::LayerTiles) on the generated region-scale
// database. Not a test: prints figures only.
//
//   bench_tiles [--db PATH] [--seed N] [--data DIR] [--zmin 4] [--zmax 10]
//               [--max-per-zoom N] [--rounds 3] [--threads N]
//
// Without --db (or with a --db that does not exist yet) the database is generated first; an
// existing --db is reused. Then, for the layers `zones` (8.7k polygons, 5.1 M ring points, most
// in the 5,000 red-line / prohibited polygons of 1,000 vertices) and `rights` (8k):
//  * the read model is built once (readmodel::ReadModel::build: one pass over the store) and
//    each layer's tile source taken from it (geometry shared with the records, not copied),
//    with the properties the tile API serves (docs/api.md, "Tiles");
//  * LayerTiles is built: constructor time, heap bytes it holds (glibc mallinfo2, after the
//    source features it consumed are freed) and the process's peak RSS;
//  * every tile z = zmin..zmax over the region's outline envelope (or an even sample of
//    --max-per-zoom of them) is cut in --rounds interleaved rounds, single-threaded, its
//    fastest round kept: tiles/s, p50/p99/max ms per tile and mean bytes of the non-empty
//    ones, per zoom; then the whole pyramid once more from --threads threads (throughput).
#include "bench_support.hpp"
#include "io/catalogue_loader.hpp"
#include "io/generate.hpp"
#include "readmodel/read_model.hpp"
#include "store/store.hpp"
#include "tiles/layer_tiles.hpp"
#include "tiles/pyramid.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <limits>
#include <malloc.h>
#include <numbers>
#include <optional>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;
using namespace mineplan;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

struct Args : bench::DatabaseArgs {
  int zmin = 4;
  int zmax = 10;
  std::size_t max_per_zoom = 0; // 0: every tile
  int threads = 2;
  int rounds = 3;
};

Args parse_args(int argc, char **argv) {
  Args a;
  bench::ArgReader r(
      "bench_tiles",
      "[--db PATH] [--scale region|small|national] [--seed N] [--data DIR] [--zmin 4] [--zmax 10] "
      "[--max-per-zoom N] [--rounds 3] [--threads N]",
      argc, argv);
  while (r.next()) {
    if (bench::read_database_option(r, a)) continue;
    const std::string &k = r.key();
    if (k == "--seed")
      a.seed = r.unsigned64();
    else if (k == "--zmin")
      a.zmin = r.integer(0, tiles::kMaxZoom);
    else if (k == "--zmax")
      a.zmax = r.integer(0, tiles::kMaxZoom);
    else if (k == "--max-per-zoom")
      a.max_per_zoom = r.unsigned64();
    else if (k == "--rounds")
      a.rounds = r.integer(1, 1000);
    else if (k == "--threads")
      a.threads = r.integer(1, 256);
    else
      r.unknown();
  }
  if (a.zmin > a.zmax) std::swap(a.zmin, a.zmax);
  return a;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size())));
  return v[std::min(v.size() - 1, i == 0 ? 0 : i - 1)];
}

struct Built {
  std::string layer;
  std::optional<tiles::LayerTiles> tiles;
  std::size_t features = 0, vertices = 0;
  double read_ms = 0, build_ms = 0, heap_mb = 0;
};

// A layer's tiles from the read model's tile source (geometry shared with the records).
Built build_layer(const readmodel::ReadModel &model, const std::string &layer,
                  const std::vector<std::string> &keys) {
  Built b;
  b.layer = layer;
  const std::size_t heap0 = bench::heap_bytes();
  auto t0 = Clock::now();
  std::vector<tiles::SourceFeature> features = model.tile_source({layer, keys});
  for (const auto &f : features)
    b.vertices += geo::vertex_count(f.lonlat);
  b.read_ms = ms_since(t0);
  b.features = features.size();
  t0 = Clock::now();
  b.tiles.emplace(layer, std::move(features));
  b.build_ms = ms_since(t0);
  malloc_trim(0);
  b.heap_mb = static_cast<double>(bench::heap_bytes() - std::min(bench::heap_bytes(), heap0)) / 1e6;
  return b;
}

constexpr double kPi = std::numbers::pi;

std::int64_t tile_x(double lon, int z) {
  return std::clamp<std::int64_t>(
      static_cast<std::int64_t>(std::floor((lon + 180) / 360 * std::ldexp(1.0, z))), 0,
      (std::int64_t{1} << z) - 1);
}
std::int64_t tile_y(double lat, int z) {
  const double r = lat * kPi / 180;
  const double y = (1 - std::log(std::tan(r) + 1 / std::cos(r)) / kPi) / 2;
  return std::clamp<std::int64_t>(static_cast<std::int64_t>(std::floor(y * std::ldexp(1.0, z))), 0,
                                  (std::int64_t{1} << z) - 1);
}

} // namespace

int main(int argc, char **argv) try {
  const Args args = parse_args(argc, argv);
  std::printf("bench_tiles — Mapbox Vector Tiles of the generated region-scale database\n");
  std::printf("machine: %ld online cores (shared with other work)\n\n",
              sysconf(_SC_NPROCESSORS_ONLN));

  std::optional<io::TempFolder> tmp;
  const fs::path db = bench::bench_database(args.db, args.data, args.scale, args.seed, tmp);
  auto st = store::Store::open(db.string());

  geo::Envelope region;
  for (const auto &d : st->divisions())
    if (d.code == "150000" && d.outline) region = geo::envelope_of(*d.outline);
  if (region.empty()) throw std::runtime_error("the store has no outline of 150000");
  std::printf("region envelope: %.2f-%.2f E, %.2f-%.2f N\n\n", region.min_x, region.max_x,
              region.min_y, region.max_y);

  // The read model (one pass over the store, the review index included; no tiles yet).
  auto t_model = Clock::now();
  const std::size_t heap_model = bench::heap_bytes();
  const auto model = readmodel::ReadModel::build(*st);
  std::printf(
      "read model (one pass, review index, search): %.0f ms, heap %.0f MB\n", ms_since(t_model),
      static_cast<double>(bench::heap_bytes() - std::min(bench::heap_bytes(), heap_model)) / 1e6);
  std::vector<Built> layers;
  layers.push_back(
      build_layer(*model, "zones", {"plan_id", "zone_id", "kind", "name", "code", "minerals"}));
  layers.push_back(build_layer(
      *model, "rights",
      {"uid", "licence_no", "kind", "name", "holder", "minerals", "status", "valid_to"}));
  std::printf("  %-8s %9s %11s %10s %12s %12s\n", "layer", "features", "ring pts", "source ms",
              "construct ms", "heap MB");
  for (const auto &b : layers)
    std::printf("  %-8s %9zu %11zu %10.0f %12.0f %12.1f\n", b.layer.c_str(), b.features, b.vertices,
                b.read_ms, b.build_ms, b.heap_mb);
  std::printf("  (simplified copies for z0-%d, full geometry for deeper tiles; process peak RSS "
              "%.0f MB, RSS now %.0f MB)\n\n",
              tiles::kSimplifiedMaxZoom, bench::proc_mb("VmHWM:"), bench::proc_mb("VmRSS:"));

  // The tiles over the region's envelope, per zoom (an even sample when capped).
  std::vector<std::vector<tiles::TileId>> pyramid;
  for (int z = args.zmin; z <= args.zmax; ++z) {
    std::vector<tiles::TileId> all;
    for (std::int64_t x = tile_x(region.min_x, z); x <= tile_x(region.max_x, z); ++x)
      for (std::int64_t y = tile_y(region.max_y, z); y <= tile_y(region.min_y, z); ++y)
        all.push_back({z, x, y});
    if (args.max_per_zoom && all.size() > args.max_per_zoom) {
      std::vector<tiles::TileId> sample;
      for (std::size_t i = 0; i < args.max_per_zoom; ++i)
        sample.push_back(all[i * all.size() / args.max_per_zoom]);
      all = std::move(sample);
    }
    pyramid.push_back(std::move(all));
  }

  for (const auto &b : layers) {
    std::printf("layer %s, one thread, best of %d rounds per tile (tiles/s over all tiles; ms "
                "per tile and size over the non-empty ones):\n",
                b.layer.c_str(), args.rounds);
    std::printf("  %4s %7s %9s %10s %8s %8s %8s %10s\n", "z", "tiles", "non-empty", "tiles/s",
                "p50 ms", "p99 ms", "max ms", "mean KB");
    // Each tile is cut in every round (rounds interleaved over the pyramid) and its fastest
    // round kept: the machine is shared, and a preempted tile is the scheduler's time.
    std::vector<std::vector<double>> best(pyramid.size());
    std::vector<std::vector<std::size_t>> size(pyramid.size());
    for (std::size_t l = 0; l < pyramid.size(); ++l) {
      best[l].assign(pyramid[l].size(), std::numeric_limits<double>::infinity());
      size[l].assign(pyramid[l].size(), 0);
    }
    for (int round = 0; round < args.rounds; ++round)
      for (std::size_t l = 0; l < pyramid.size(); ++l)
        for (std::size_t i = 0; i < pyramid[l].size(); ++i) {
          const auto a = Clock::now();
          const std::string tile = b.tiles->tile(pyramid[l][i]);
          best[l][i] = std::min(best[l][i], ms_since(a));
          size[l][i] = tile.size();
        }
    std::size_t total_tiles = 0;
    double total_ms = 0;
    std::vector<double> all_times;
    for (std::size_t l = 0; l < pyramid.size(); ++l) {
      std::vector<double> times; // of the non-empty tiles
      std::size_t non_empty = 0, bytes = 0;
      double ms = 0;
      for (std::size_t i = 0; i < pyramid[l].size(); ++i) {
        ms += best[l][i];
        if (size[l][i] == 0) continue;
        times.push_back(best[l][i]);
        ++non_empty;
        bytes += size[l][i];
      }
      total_tiles += pyramid[l].size();
      total_ms += ms;
      all_times.insert(all_times.end(), times.begin(), times.end());
      std::printf(
          "  %4d %7zu %9zu %10.0f %8.3f %8.3f %8.3f %10.1f\n", pyramid[l].front().z,
          pyramid[l].size(), non_empty, static_cast<double>(pyramid[l].size()) / (ms / 1000),
          percentile(times, 50), percentile(times, 99), percentile(times, 100),
          non_empty ? static_cast<double>(bytes) / static_cast<double>(non_empty) / 1024 : 0.0);
    }
    std::printf("  %4s %7zu %9s %10.0f %8.3f %8.3f %8.3f\n", "all", total_tiles, "",
                static_cast<double>(total_tiles) / (total_ms / 1000), percentile(all_times, 50),
                percentile(all_times, 99), percentile(all_times, 100));

    // The whole pyramid again from several threads at once.
    std::vector<tiles::TileId> flat;
    for (const auto &level : pyramid)
      flat.insert(flat.end(), level.begin(), level.end());
    std::atomic<std::size_t> next{0};
    const auto t0 = Clock::now();
    std::vector<std::thread> pool;
    for (int i = 0; i < args.threads; ++i)
      pool.emplace_back([&] {
        for (std::size_t k = next++; k < flat.size(); k = next++)
          (void)b.tiles->tile(flat[k]);
      });
    for (auto &t : pool)
      t.join();
    const double ms = ms_since(t0);
    std::printf("  %d threads: %zu tiles in %.0f ms, %.0f tiles/s\n\n", args.threads, flat.size(),
                ms, static_cast<double>(flat.size()) / (ms / 1000));
  }
  return 0;
} catch (const std::exception &e) {
  std::fprintf(stderr, "bench_tiles: %s\n", e.what());
  return 1;
}
