// Benchmark of the coordinate-file reader: generates a deterministic exchange file with 10^6
// vertices (one star-shaped parcel, Xian 1980 3° zone 37) and times
//   parse + validate (GEOS validity) + planar area,
//   parse without GEOS validation,
//   reprojection to CGCS2000 lon/lat + ellipsoidal area,
// printing the median of N runs. Figures are printed, not asserted.
//
// usage: bench_coords [vertices=1000000] [runs=5]
#include "geo/area.hpp"
#include "geo/coordfile.hpp"
#include "geo/proj.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <numbers>
#include <string>
#include <vector>

using namespace mineplan::geo;

namespace {

std::string generate(int n) {
  std::string s = "[属性描述]\n坐标系=80西安坐标系\n几度分带=3\n投影类型=高斯克吕格\n计量单位="
                  "米\n带号=37\n精度=0.01\n"
                  "转换参数=,,,,,,\n[地块坐标]\n";
  s += std::to_string(n + 1) + ",,1,基准测试地块,面,,,,@\n";
  s.reserve(s.size() + static_cast<std::size_t>(n + 1) * 40);
  const double cx = 37'450'000, cy = 4'400'000, r0 = 40'000;
  char buf[96];
  for (int i = 0; i <= n; ++i) {
    const int k = i % n;
    const double t = 2 * std::numbers::pi * k / n;
    // Star-shaped about the centre (radius varies smoothly): simple, never self-intersecting.
    const double r = r0 * (1 + 0.15 * std::sin(7 * t) + 0.05 * std::cos(23 * t));
    const int len = std::snprintf(buf, sizeof buf, "J%d,1,%.2f,%.2f\n", k + 1, cy + r * std::sin(t),
                                  cx + r * std::cos(t));
    s.append(buf, static_cast<std::size_t>(len));
  }
  return s;
}

double median_ms(int runs, const std::function<void()> &f) {
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

void report(const char *what, double ms, double vertices, double bytes) {
  std::printf("%-44s %9.1f ms  %7.2f M vertices/s  %7.1f MB/s\n", what, ms, vertices / ms / 1e3,
              bytes > 0 ? bytes / ms / 1e3 : 0.0);
}

} // namespace

int main(int argc, char **argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 1'000'000;
  const int runs = argc > 2 ? std::atoi(argv[2]) : 5;
  if (n < 3 || runs < 1) {
    std::fprintf(stderr, "usage: bench_coords [vertices>=3] [runs>=1]\n");
    return 2;
  }
  const std::string file = generate(n);
  std::printf("bench_coords: %d vertices, %.1f MB exchange file, median of %d runs\n", n,
              file.size() / 1e6, runs);

  double area = 0;
  const double full = median_ms(runs, [&] {
    CoordinateFile f = parse_coordinate_file(file, "bench");
    if (f.has_errors()) std::fprintf(stderr, "unexpected problems\n");
    area = planar_area_m2(f.parcels.at(0).geometry);
  });
  report("parse + validate (GEOS) + planar area", full, n, static_cast<double>(file.size()));

  ReadOptions no_geos;
  no_geos.validate_geometry = false;
  const double parse_only =
      median_ms(runs, [&] { (void)parse_coordinate_file(file, "bench", no_geos); });
  report("parse without GEOS validation", parse_only, n, static_cast<double>(file.size()));

  CoordinateFile f = parse_coordinate_file(file, "bench", no_geos);
  double area_ms = median_ms(runs, [&] { area = planar_area_m2(f.parcels.at(0).geometry); });
  report("planar area alone", area_ms, n, 0);

  double ell = 0;
  const double reproject = median_ms(runs, [&] {
    Reprojected ll = to_cgcs2000_lonlat(f.parcels.at(0).geometry, f.crs);
    ell = ellipsoidal_area_m2(ll.geometry, Datum::CGCS2000);
  });
  report("to CGCS2000 lon/lat + ellipsoidal area", reproject, n, 0);

  std::printf("planar area %.2f m2 (%.6f km2), ellipsoidal %.2f m2\n", area, area / 1e6, ell);
  return 0;
}
