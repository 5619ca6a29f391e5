#include "io/generate.hpp"

#include "io/vocabulary_loader.hpp"

#include "core/error.hpp"
#include "core/model_json.hpp"
#include "geo/area.hpp"
#include "geo/geos.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <numeric>
#include <random>
#include <set>
#include <span>

namespace mineplan::io {
namespace {

namespace fs = std::filesystem;
using geo::MultiPolygon;
using geo::Point;
using Clock = std::chrono::steady_clock;

constexpr double kPi = 3.14159265358979323846;
constexpr double kDeg = kPi / 180.0;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// ---------------------------------------------------------------------------------------------
// Randomness. std::mt19937_64's output sequence is fixed by the standard; the distributions of
// the standard library are not (each library implements them its own way), so every draw below
// is derived from the raw 64-bit output here.

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// One independent stream per layer, so that changing how one layer is drawn (or its count)
// leaves the others as they were.
enum class Stream : std::uint64_t {
  districts = 1,
  rights = 2,
  exploration_blocks = 3,
  mining_blocks = 4,
  key_areas = 5,
  protected_areas = 6,
};

class Rng {
public:
  Rng(std::uint64_t seed, Stream stream)
      : eng_(splitmix64(seed ^ splitmix64(static_cast<std::uint64_t>(stream)))) {}

  // [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(eng_() >> 11) * 0x1.0p-53; }
  double uniform(double a, double b) { return a + (b - a) * uniform(); }
  // Unbiased integer in [0, n) (rejection of the short last interval).
  std::uint64_t below(std::uint64_t n) {
    if (n <= 1) return 0;
    const std::uint64_t threshold = (0 - n) % n;
    std::uint64_t r = eng_();
    while (r < threshold)
      r = eng_();
    return r % n;
  }
  int range(int lo, int hi) { // inclusive
    return lo + static_cast<int>(below(static_cast<std::uint64_t>(hi - lo) + 1));
  }
  bool chance(double p) { return uniform() < p; }
  // a * (b/a)^(u^skew): log-uniform for skew 1, more weight near a for skew > 1.
  double log_range(double a, double b, double skew = 1.0) {
    return a * std::exp(std::log(b / a) * std::pow(uniform(), skew));
  }
  // Standard normal (Box-Muller, one of the pair).
  double normal() {
    const double u1 = 1.0 - uniform(); // (0, 1]
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * kPi * u2);
  }
  std::size_t weighted(std::span<const double> w) {
    const double total = std::accumulate(w.begin(), w.end(), 0.0);
    double x = uniform() * total;
    for (std::size_t i = 0; i < w.size(); ++i) {
      if (x < w[i]) return i;
      x -= w[i];
    }
    for (std::size_t i = w.size(); i-- > 0;) // rounding: the last with a weight
      if (w[i] > 0) return i;
    return 0;
  }
  template <class T> const T &pick(const std::vector<T> &v) { return v[below(v.size())]; }

private:
  std::mt19937_64 eng_;
};

// ---------------------------------------------------------------------------------------------
// Counts. Seed 000 gives the region's figures; national is ten times, small one twentieth,
// rounded per sub-category.

struct RegionFigures {
  static constexpr int exploration_rights = 3785; // 第一章第一节
  static constexpr int mining_rights = 4266;
  static constexpr int eb_consolidation = 16; // 第五章第二节: 16 整合调整 + 1559 空白区新设
  static constexpr int eb_new = 1559;
  static constexpr int coal_new = 19; // 第六章第三节: coal 118 = 19 + 80 + 19
  static constexpr int coal_conversion = 80;
  static constexpr int coal_consolidation = 19;
  static constexpr int noncoal_new = 56; // non-coal 1938 = 56 + 1867 + 15
  static constexpr int noncoal_conversion = 1867;
  static constexpr int noncoal_consolidation = 15;
  static constexpr int key_mining_areas = 82;       // 第六章第二节, 51 of them national
  static constexpr int national_planned_areas = 51; // planned mining areas
  static constexpr int key_exploration_areas = 38;  // 第三章第三节
  static constexpr int red_lines = 4000;            // 5,000 protected polygons in all
  static constexpr int prohibited_areas = 1000;
  static constexpr int protected_vertices = 1000;
};

int scaled(GenerateScale s, int region_count) {
  switch (s) {
  case GenerateScale::small: return static_cast<int>(std::lround(region_count / 20.0));
  case GenerateScale::region: return region_count;
  case GenerateScale::national: return region_count * 10;
  }
  return region_count;
}

// ---------------------------------------------------------------------------------------------
// Calendar (days since 1970-01-01; H. Hinnant's civil algorithms).

std::int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + doe - 719468;
}

std::string iso_date(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<int>(z - era * 146097);
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int d = doy - (153 * mp + 2) / 5 + 1;
  const int m = mp < 10 ? mp + 3 : mp - 9;
  const auto y = static_cast<int>(yoe + era * 400 + (m <= 2 ? 1 : 0));
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

struct Ymd {
  int y, m, d;
};

Ymd ymd_of(std::int64_t days) {
  const std::string s = iso_date(days);
  return {std::stoi(s.substr(0, 4)), std::stoi(s.substr(5, 2)), std::stoi(s.substr(8, 2))};
}

// The day before the same date `years` later: a licence of N years.
std::int64_t licence_end(std::int64_t from, int years) {
  const Ymd f = ymd_of(from);
  return days_from_civil(f.y + years, f.m, f.d) - 1;
}

// ---------------------------------------------------------------------------------------------
// Geometry helpers. Shapes are drawn in kilometres in a local tangent frame around a centre
// and mapped to lon/lat; the official (Gauss-Krüger planar) area is then measured.

double round7(double v) {
  return std::nearbyint(v * 1e7) / 1e7;
}

struct LocalFrame {
  Point centre;
  double km_per_deg_lon;
  double km_per_deg_lat = 110.574;
  explicit LocalFrame(Point c) : centre(c), km_per_deg_lon(111.3195 * std::cos(c.y * kDeg)) {}
  Point lonlat(double x_km, double y_km) const {
    return {centre.x + x_km / km_per_deg_lon, centre.y + y_km / km_per_deg_lat};
  }
};

double shoelace(const std::vector<Point> &pts) {
  double s = 0;
  for (std::size_t i = 0, n = pts.size(); i < n; ++i) {
    const Point &a = pts[i];
    const Point &b = pts[(i + 1) % n];
    s += a.x * b.y - b.x * a.y;
  }
  return s / 2;
}

// Closes and rounds a ring given in lon/lat. Returns nothing when rounding merged two
// consecutive vertices (the caller draws again).
std::optional<MultiPolygon> make_polygon(const std::vector<Point> &lonlat) {
  geo::Ring ring;
  ring.reserve(lonlat.size() + 1);
  for (const Point &p : lonlat) {
    Point q{round7(p.x), round7(p.y)};
    if (!ring.empty() && ring.back() == q) return std::nullopt;
    ring.push_back(q);
  }
  if (ring.size() < 3 || ring.back() == ring.front()) return std::nullopt;
  ring.push_back(ring.front());
  return MultiPolygon{geo::Polygon{std::move(ring), {}}};
}

std::optional<MultiPolygon> from_km(const std::vector<Point> &km, const LocalFrame &f) {
  std::vector<Point> ll;
  ll.reserve(km.size());
  for (const Point &p : km)
    ll.push_back(f.lonlat(p.x, p.y));
  return make_polygon(ll);
}

// How wavy a star-shaped outline is: a few harmonics of the radius and per-vertex noise.
struct Waviness {
  int low_harmonics = 2;     // k in 2..7
  double low_amplitude = 0;  // each up to this
  int high_harmonics = 0;    // k in 8..60
  double high_amplitude = 0; // each up to this
  double vertex_noise = 0;   // relative radius noise per vertex (uniform +-)
  double angle_jitter = 0.4; // of one angular step (< 0.5 keeps angles increasing)
};

// A star-shaped polygon around the origin (km): vertices at strictly increasing angles with
// positive radii, hence simple. Its area is scaled to `area_km2` when that is positive; else
// the mean radius is `radius_km`.
std::vector<Point> star_km(Rng &rng, int n, const Waviness &w, double area_km2,
                           double radius_km = 1.0) {
  struct Harmonic {
    double k, a, phase;
  };
  std::vector<Harmonic> hs;
  for (int i = 0; i < w.low_harmonics; ++i)
    hs.push_back({static_cast<double>(rng.range(2, 7)), rng.uniform(0, w.low_amplitude),
                  rng.uniform(0, 2 * kPi)});
  for (int i = 0; i < w.high_harmonics; ++i)
    hs.push_back({static_cast<double>(rng.range(8, 60)), rng.uniform(0, w.high_amplitude),
                  rng.uniform(0, 2 * kPi)});
  const double rotation = rng.uniform(0, 2 * kPi);
  std::vector<Point> pts(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    const double t =
        2 * kPi * (i + w.angle_jitter * (rng.uniform() - 0.5) * 2 * 0.999) / n + rotation;
    double r = 1.0 + w.vertex_noise * (2 * rng.uniform() - 1);
    for (const auto &h : hs)
      r += h.a * std::sin(h.k * t + h.phase);
    r = std::max(r, 0.2) * radius_km;
    pts[static_cast<std::size_t>(i)] = {r * std::cos(t), r * std::sin(t)};
  }
  if (area_km2 > 0) {
    const double s = std::sqrt(area_km2 / shoelace(pts));
    for (auto &p : pts)
      p = {p.x * s, p.y * s};
  }
  return pts;
}

// A rectangle of the given area (km2), aspect 1-4, turned by up to 15° (half are north-south).
std::vector<Point> rectangle_km(Rng &rng, double area_km2) {
  const double aspect = rng.uniform(1.0, 4.0);
  const double w = std::sqrt(area_km2 * aspect), h = area_km2 / w;
  const double a = rng.chance(0.5) ? 0.0 : rng.uniform(-15.0, 15.0) * kDeg;
  const double c = std::cos(a), s = std::sin(a);
  std::vector<Point> pts;
  for (auto [x, y] : {std::pair{-w / 2, -h / 2}, {w / 2, -h / 2}, {w / 2, h / 2}, {-w / 2, h / 2}})
    pts.push_back({x * c - y * s, x * s + y * c});
  return pts;
}

// k distinct values of 1..m, ascending.
std::vector<int> distinct_sorted(Rng &rng, int k, int m) {
  std::vector<int> v(static_cast<std::size_t>(m));
  std::iota(v.begin(), v.end(), 1);
  for (int i = 0; i < k; ++i)
    std::swap(v[static_cast<std::size_t>(i)],
              v[static_cast<std::size_t>(i) + rng.below(static_cast<std::uint64_t>(m - i))]);
  v.resize(static_cast<std::size_t>(k));
  std::sort(v.begin(), v.end());
  return v;
}

// A corner staircase of a w x h cell rectangle: cut[j] cells are removed from row j (rows
// counted from that corner's side). Widths strictly decrease outwards, so the shape stays
// orthogonally convex; cuts stay within the corner's quadrant.
std::vector<int> staircase(Rng &rng, int w, int h, int steps) {
  std::vector<int> cut(static_cast<std::size_t>(h), 0);
  const int max_w = (w - 1) / 2, max_h = (h - 1) / 2;
  steps = std::min({steps, max_w, max_h});
  if (steps <= 0) return cut;
  std::vector<int> widths = distinct_sorted(rng, steps, max_w); // ascending
  std::vector<int> rows = distinct_sorted(rng, steps, max_h);   // ascending band tops
  int j = 0;
  for (int s = 0; s < steps; ++s) {
    const int width = widths[static_cast<std::size_t>(steps - 1 - s)]; // widest at the corner
    for (; j < rows[static_cast<std::size_t>(s)]; ++j)
      cut[static_cast<std::size_t>(j)] = width;
  }
  return cut;
}

// A rectilinear polygon on the 1'x1' grid of exploration units (基本单位区块), about
// `area_km2` large, with up to `max_vertices` vertices (staircase corners).
std::optional<MultiPolygon> grid_polygon(Rng &rng, Point centre, double area_km2,
                                         int max_vertices) {
  const LocalFrame f(centre);
  const double cell_km2 = (f.km_per_deg_lon / 60.0) * (f.km_per_deg_lat / 60.0);
  const double cells = std::max(1.0, area_km2 / cell_km2);
  const double aspect = rng.uniform(1.0, 3.0);
  int w = std::max(1, static_cast<int>(std::lround(std::sqrt(cells * aspect))));
  int h = std::max(1, static_cast<int>(std::lround(cells / w)));
  if (rng.chance(0.5)) std::swap(w, h);
  const int budget = (max_vertices - 4) / 2; // steps over all four corners
  std::array<int, 4> steps{};
  for (int &s : steps)
    s = rng.chance(0.55) ? rng.range(1, std::max(1, budget / 4)) : 0;
  // sw, se counted from the bottom; nw, ne from the top.
  const auto sw = staircase(rng, w, h, steps[0]), se = staircase(rng, w, h, steps[1]);
  const auto nw = staircase(rng, w, h, steps[2]), ne = staircase(rng, w, h, steps[3]);
  std::vector<int> L(static_cast<std::size_t>(h)), R(static_cast<std::size_t>(h));
  for (int j = 0; j < h; ++j) {
    const auto uj = static_cast<std::size_t>(j), dj = static_cast<std::size_t>(h - 1 - j);
    L[uj] = sw[uj] + nw[dj];
    R[uj] = w - se[uj] - ne[dj];
  }
  // Outline, counter-clockwise, in cell coordinates: right side up, left side down.
  std::vector<std::pair<int, int>> c;
  c.push_back({L[0], 0});
  c.push_back({R[0], 0});
  for (int j = 0; j + 1 < h; ++j) {
    const auto uj = static_cast<std::size_t>(j);
    if (R[uj + 1] != R[uj]) {
      c.push_back({R[uj], j + 1});
      c.push_back({R[uj + 1], j + 1});
    }
  }
  c.push_back({R[static_cast<std::size_t>(h - 1)], h});
  c.push_back({L[static_cast<std::size_t>(h - 1)], h});
  for (int j = h - 1; j >= 1; --j) {
    const auto uj = static_cast<std::size_t>(j);
    if (L[uj - 1] != L[uj]) {
      c.push_back({L[uj], j});
      c.push_back({L[uj - 1], j});
    }
  }
  const double x0 = std::floor(centre.x * 60.0) - w / 2;
  const double y0 = std::floor(centre.y * 60.0) - h / 2;
  std::vector<Point> ll;
  for (auto [x, y] : c)
    ll.push_back({(x0 + x) / 60.0, (y0 + y) / 60.0});
  return make_polygon(ll);
}

std::int64_t distinct_vertices(const MultiPolygon &mp) {
  std::int64_t n = 0;
  for (const auto &p : mp)
    n += static_cast<std::int64_t>(p.outer.size()) - 1;
  return n;
}

// ---------------------------------------------------------------------------------------------
// The world the generator draws in: the region outline, the counties, the minerals.

struct County {
  const Division *division;
  std::string league_name;
  geo::Envelope envelope;
  geo::PreparedGeometry outline;
};

struct District { // a mining district: where rights and blocks cluster
  Point centre;
  double sigma_km;
  double weight;
  std::string category; // energy | metal | nonmetal
};

const std::set<std::string> &not_in_register() {
  // Oil and gas, uranium and the geothermal/gas-hydrate items are registered by the Ministry,
  // and group names (多金属 …) are not minerals a licence names.
  static const std::set<std::string> s = {
      "石油",       "天然气", "油气",   "页岩气",   "煤层气", "天然气水合物", "干热岩",
      "浅层地温能", "铀",     "多金属", "有色金属", "贵金属", "稀有金属",     "稀散元素"};
  return s;
}

double mineral_weight(const std::string &name) {
  static const std::map<std::string, double> w = {
      {"煤炭", 10},      {"褐煤", 3},       {"金", 5},         {"铁", 4},     {"铜", 3},
      {"铅锌", 3},       {"银", 2},         {"钼", 2},         {"萤石", 4},   {"建筑用砂", 6},
      {"建筑用石料", 6}, {"建筑用砂石", 4}, {"砖瓦用粘土", 4}, {"石灰岩", 3}, {"建筑石料用灰岩", 3},
      {"地热", 2},       {"矿泉水", 2}};
  auto it = w.find(name);
  return it == w.end() ? 1.0 : it->second;
}

const std::array<const char *, 4> kCategories = {"energy", "metal", "nonmetal", "water_gas"};

struct MineralPool {
  std::vector<const Mineral *> minerals;
  std::vector<double> weights;
  bool empty() const { return minerals.empty(); }
};

// Scale bands (large, medium, small, below_small) by unit: the generator's own approximation of
// the national classification of mine production scales.
struct Band {
  double lo, hi;
};
std::array<Band, 4> scale_bands(const Mineral &m) {
  const std::string &u = m.scale_unit;
  if (u == "万吨/年" && m.category == "energy")
    return {{{120, 1500}, {45, 120}, {15, 45}, {3, 15}}};
  if (u == "万立方米/年") return {{{100, 400}, {20, 100}, {5, 20}, {1, 5}}};
  if (u == "立方米/日") return {{{1000, 5000}, {500, 1000}, {100, 500}, {20, 100}}};
  if (u == "吨/年") return {{{10000, 50000}, {3000, 10000}, {500, 3000}, {50, 500}}};
  return {{{100, 600}, {20, 100}, {3, 20}, {0.5, 3}}};
}
const std::array<const char *, 4> kScaleClasses = {"large", "medium", "small", "below_small"};

const std::vector<std::string> kPlaceA = {"巴彦", "乌兰",   "查干", "哈日", "呼和",   "阿拉坦",
                                          "锡林", "额尔敦", "宝力", "赛罕", "乌力吉", "那仁",
                                          "白音", "陶来",   "德力", "哈达", "温都尔", "巴润",
                                          "准格", "图古",   "沙尔", "阿日", "扎格",   "敖伦"};
const std::vector<std::string> kPlaceB = {"敖包", "乌拉", "淖尔",   "高勒", "陶勒盖", "布拉格",
                                          "塔拉", "花",   "沟",     "山",   "希勒",   "郭勒",
                                          "哈达", "锡力", "呼都格", "诺尔", "得力",   "查布"};
const std::vector<std::string> kFirm = {"鑫", "源", "泰", "华", "宏", "昌", "盛", "兴",
                                        "恒", "达", "金", "瑞", "丰", "隆", "通", "远",
                                        "祥", "润", "富", "安", "晟", "嘉", "诚"};
const std::vector<std::string> kIndustry = {"矿业", "煤业", "能源", "资源开发",
                                            "建材", "砂石", "实业", "矿产品"};
const std::vector<std::string> kSuffix = {"有限公司", "有限责任公司", "股份有限公司"};
const std::vector<std::string> kInstitutes = {"内蒙古自治区第一地质矿产勘查开发有限责任公司",
                                              "内蒙古自治区第二地质矿产勘查开发有限责任公司",
                                              "内蒙古自治区第三地质矿产勘查开发有限责任公司",
                                              "内蒙古自治区第四地质矿产勘查开发有限责任公司",
                                              "内蒙古自治区第五地质矿产勘查开发有限责任公司",
                                              "内蒙古自治区第六地质矿产勘查开发有限责任公司",
                                              "内蒙古自治区第七地质矿产勘查开发有限责任公司",
                                              "内蒙古自治区第八地质矿产勘查开发有限责任公司",
                                              "内蒙古自治区第九地质矿产勘查开发有限责任公司",
                                              "内蒙古自治区第十地质矿产勘查开发有限责任公司",
                                              "内蒙古自治区地质调查院",
                                              "内蒙古自治区煤田地质局勘查院",
                                              "中国冶金地质总局内蒙古地质勘查院",
                                              "中化地质矿山总局内蒙古地质勘查院",
                                              "中国建筑材料工业地质勘查中心内蒙古总队",
                                              "有色金属矿产地质调查中心"};

std::string short_league(std::string name) {
  for (const char *s : {"市", "盟"})
    if (name.size() > 3 && name.ends_with(s)) return name.substr(0, name.size() - 3);
  return name;
}

class World {
public:
  World(const Catalogue &cat, std::uint64_t seed) {
    const Division *region = cat.find_division("150000");
    if (!region || !region->outline)
      throw Error("generate: the catalogue has no outline of 内蒙古自治区 150000 "
                  "(data/outlines/region.geojson)");
    region_env_ = geo::envelope_of(*region->outline);
    region_.emplace(geo::to_geos(*region->outline));
    for (const auto &d : cat.divisions) {
      if (d.level != "county" || !d.outline) continue;
      const Division *league = cat.find_division(d.parent);
      counties_.push_back(County{&d, league ? league->name : std::string("内蒙古"),
                                 geo::envelope_of(*d.outline),
                                 geo::PreparedGeometry(geo::to_geos(*d.outline))});
    }
    if (counties_.empty())
      throw Error(
          "generate: the catalogue has no county outlines (data/outlines/counties.geojson)");
    for (const auto &m : cat.minerals) {
      if (not_in_register().count(m.name)) continue;
      for (int pass = 0; pass < 2; ++pass) {
        // pass 0: mining; pass 1: exploration (no exploration rights for sand, gravel, clay).
        if (pass == 1 && m.exploration_risk == "none") continue;
        auto &pool = (pass == 0 ? mining_ : exploration_)[m.category];
        pool.minerals.push_back(&m);
        pool.weights.push_back(mineral_weight(m.name));
      }
    }
    coal_ = cat.find_mineral("煤炭");
    if (!coal_) throw Error("generate: the catalogue has no mineral 煤炭");
    make_districts(seed);
  }

  const Mineral &coal() const { return *coal_; }

  bool in_region(Point p) const {
    return p.x >= region_env_.min_x && p.x <= region_env_.max_x && p.y >= region_env_.min_y &&
           p.y <= region_env_.max_y && region_->contains_point(p);
  }
  // Uniform by area.
  Point uniform_point(Rng &rng) const {
    const double s0 = std::sin(region_env_.min_y * kDeg), s1 = std::sin(region_env_.max_y * kDeg);
    for (;;) {
      Point p{rng.uniform(region_env_.min_x, region_env_.max_x),
              std::asin(rng.uniform(s0, s1)) / kDeg};
      if (in_region(p)) return p;
    }
  }
  Point near(Rng &rng, Point c, double sigma_km) const {
    const LocalFrame f(c);
    const double dx = rng.normal() * sigma_km; // two statements: argument order is unspecified
    const double dy = rng.normal() * sigma_km;
    return f.lonlat(dx, dy);
  }
  // A district of the category (weighted), or any district.
  const District &district(Rng &rng, const std::string &category) const {
    std::vector<double> w;
    for (const auto &d : districts_)
      w.push_back(category.empty() || d.category == category ? d.weight : 0.0);
    if (std::accumulate(w.begin(), w.end(), 0.0) <= 0)
      for (std::size_t i = 0; i < w.size(); ++i)
        w[i] = districts_[i].weight;
    return districts_[rng.weighted(w)];
  }
  // Where rights and blocks of a category go: mostly in its districts, the rest anywhere.
  Point clustered_point(Rng &rng, const std::string &category, double share = 0.75) const {
    if (!rng.chance(share)) return uniform_point(rng);
    const District &d = district(rng, category == "water_gas" ? "" : category);
    return near(rng, d.centre, d.sigma_km);
  }

  const County *county_at(Point p) const {
    for (const auto &c : counties_) {
      const auto &e = c.envelope;
      if (p.x < e.min_x || p.x > e.max_x || p.y < e.min_y || p.y > e.max_y) continue;
      if (c.outline.contains_point(p)) return &c;
    }
    return nullptr;
  }

  // Valid, inside the region, official area within [min, max] km2 (when max > 0).
  struct Checked {
    double official_m2 = 0;
    const County *county = nullptr;
  };
  std::optional<Checked> check(const MultiPolygon &mp, Point centre, double min_km2,
                               double max_km2) const {
    Checked out;
    out.official_m2 = geo::official_area_m2(mp);
    if (max_km2 > 0 && (out.official_m2 < min_km2 * 1e6 || out.official_m2 > max_km2 * 1e6))
      return std::nullopt;
    const geo::Envelope e = geo::envelope_of(mp);
    if (e.min_x < region_env_.min_x || e.max_x > region_env_.max_x || e.min_y < region_env_.min_y ||
        e.max_y > region_env_.max_y)
      return std::nullopt;
    geo::GeosGeometry g = geo::to_geos(mp);
    if (!region_->covers(g)) return std::nullopt;
    if (geo::validity_problem(g)) return std::nullopt;
    out.county = county_at(geo::planar_centroid(mp));
    if (!out.county) out.county = county_at(centre);
    if (!out.county) return std::nullopt;
    return out;
  }

  const MineralPool &pool(bool exploration, const std::string &category) const {
    static const MineralPool empty;
    const auto &m = exploration ? exploration_ : mining_;
    auto it = m.find(category);
    return it == m.end() ? empty : it->second;
  }
  // A category by weight (skipping categories without minerals), then a mineral of it.
  const Mineral &mineral(Rng &rng, bool exploration, std::array<double, 4> category_weights) const {
    for (std::size_t i = 0; i < kCategories.size(); ++i)
      if (pool(exploration, kCategories[i]).empty()) category_weights[i] = 0;
    if (std::accumulate(category_weights.begin(), category_weights.end(), 0.0) <= 0)
      throw Error("generate: the catalogue has no minerals to draw from");
    const auto &p = pool(exploration, kCategories[rng.weighted(category_weights)]);
    return *p.minerals[rng.weighted(p.weights)];
  }

  std::string place_name(Rng &rng) const {
    std::string name = rng.pick(kPlaceA); // one draw per statement: the order is fixed
    name += rng.pick(kPlaceB);
    return name;
  }

private:
  void make_districts(std::uint64_t seed) {
    Rng rng(seed, Stream::districts);
    const std::array<double, 3> w = {0.25, 0.45, 0.30};
    const std::array<const char *, 3> cats = {"energy", "metal", "nonmetal"};
    for (int i = 0; i < 160; ++i) {
      District d;
      d.centre = uniform_point(rng);
      d.sigma_km = rng.log_range(10, 45);
      d.weight = std::exp(rng.normal());
      d.category = cats[rng.weighted(w)];
      districts_.push_back(d);
    }
  }

  geo::Envelope region_env_;
  std::optional<geo::PreparedGeometry> region_;
  std::vector<County> counties_;
  std::map<std::string, MineralPool> mining_, exploration_;
  const Mineral *coal_ = nullptr;
  std::vector<District> districts_;
};

// Draws until `make` gives a polygon that passes World::check; throws after many failures
// (an outline that cannot hold the shape).
template <class Make>
std::pair<MultiPolygon, World::Checked> place(const World &world, const char *what, Make make,
                                              double min_km2 = 0, double max_km2 = 0) {
  for (int attempt = 0; attempt < 20000; ++attempt) {
    auto [mp, centre] = make();
    if (!mp) continue;
    if (auto ok = world.check(*mp, centre, min_km2, max_km2)) return {std::move(*mp), *ok};
  }
  throw Error(std::string("generate: cannot place a ") + what + " inside the region outline");
}

// ---------------------------------------------------------------------------------------------
// Holders: some hold several rights.

class Holders {
public:
  std::string pick(Rng &rng, const County &county, bool exploration) {
    // Reuse only once there is a pool to choose from, so that the first rights do not all
    // fall to the first holder.
    if (pool_.size() >= 20 && rng.chance(0.4)) return rng.pick(pool_);
    if (exploration && rng.chance(0.3)) {
      std::string name = rng.pick(kInstitutes);
      if (used_.insert(name).second) pool_.push_back(name);
      return name;
    }
    const std::string league = short_league(county.league_name);
    std::string name;
    for (int attempt = 0;; ++attempt) {
      // One draw per statement: the evaluation order of operands is unspecified.
      name = league;
      name += rng.pick(kFirm);
      name += attempt < 20 ? rng.pick(kFirm) : std::to_string(pool_.size());
      name += rng.pick(kIndustry);
      name += rng.pick(kSuffix);
      if (!used_.count(name)) break;
    }
    used_.insert(name);
    pool_.push_back(name);
    return name;
  }
  std::size_t size() const { return pool_.size(); }

private:
  std::vector<std::string> pool_;
  std::set<std::string> used_;
};

// ---------------------------------------------------------------------------------------------
// Rights.

const char *stage_zh(const std::string &stage) {
  if (stage == "reconnaissance") return "预查";
  if (stage == "general") return "普查";
  if (stage == "detailed") return "详查";
  return "勘探";
}

int category_digit(const std::string &category) {
  if (category == "energy") return 1;
  if (category == "metal") return 2;
  if (category == "nonmetal") return 3;
  return 4;
}

double round_scale(double v) {
  if (v < 10) return std::nearbyint(v * 10) / 10;
  return std::nearbyint(v);
}

struct RightSite { // what the blocks need to know about a generated right
  Point centre;
  const Mineral *mineral;
};

struct GeneratedRights {
  std::vector<Right> rights;
  std::vector<RightSite> exploration, mining;
  std::int64_t vertices = 0;
  std::size_t holders = 0;
};

GeneratedRights generate_rights(const World &world, const GenerateOptions &opt,
                                const GenerateCounts &counts) {
  GeneratedRights out;
  Rng rng(opt.seed, Stream::rights);
  Holders holders;
  const std::string source = "mineplan generate --seed " + std::to_string(opt.seed) + " --scale " +
                             std::string(generate_scale_name(opt.scale));
  const std::int64_t day_2006 = days_from_civil(2006, 1, 1), day_2016 = days_from_civil(2016, 1, 1);
  const std::int64_t day_2023 = days_from_civil(2023, 12, 31);
  int serial_t = 0, serial_c = 0;

  // Exploration rights: 1'-grid blocks (80%) or irregular polygons, 5-200 km2.
  for (int i = 0; i < counts.exploration_rights; ++i) {
    const Mineral &m = world.mineral(rng, true, {0.14, 0.62, 0.21, 0.03});
    const double target = std::clamp(rng.log_range(5, 200, 1.6), 5.1, 196.0);
    const bool grid = rng.chance(0.8);
    Point centre{};
    auto [geom, ok] = place(
        world, "exploration right",
        [&]() -> std::pair<std::optional<MultiPolygon>, Point> {
          centre = world.clustered_point(rng, m.category);
          if (grid) return {grid_polygon(rng, centre, target, 50), centre};
          Waviness w{2, 0.12, 0, 0, 0.2, 0.4};
          return {from_km(star_km(rng, 4 + static_cast<int>(46 * std::pow(rng.uniform(), 3)), w,
                                  target),
                          LocalFrame(centre)),
                  centre};
        },
        5.0, 200.0);
    Right r;
    const std::int64_t from =
        day_2016 +
        static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(day_2023 - day_2016 + 1)));
    const Ymd f = ymd_of(from);
    char licence[32];
    std::snprintf(licence, sizeof licence, "T151%04d%02d%02d%06d", f.y, f.m,
                  category_digit(m.category), ++serial_t);
    const std::array<const char *, 4> stages = {"reconnaissance", "general", "detailed",
                                                "exploration"};
    const std::string stage = stages[rng.weighted(std::array<double, 4>{0.1, 0.45, 0.3, 0.15})];
    r.uid = r.licence_no = licence;
    r.kind = "exploration";
    r.holder = holders.pick(rng, *ok.county, true);
    r.name = "内蒙古自治区" + ok.county->division->name + world.place_name(rng) + m.name + "矿" +
             stage_zh(stage);
    r.minerals = {m.name};
    r.area = Quantity::make(std::nearbyint(ok.official_m2 / 1e2) / 1e4, "km2");
    r.valid_from = iso_date(from);
    r.valid_to = iso_date(licence_end(from, 5));
    r.jurisdiction = ok.county->division->code;
    r.official_area_m2 = ok.official_m2;
    r.attributes = Json{{"generated", true}, {"exploration_stage", stage}};
    r.source = source;
    r.version_from = r.valid_from;
    out.vertices += distinct_vertices(geom);
    r.geometry = std::move(geom);
    out.exploration.push_back({centre, &m});
    out.rights.push_back(std::move(r));
  }

  // Mining rights: irregular polygons (55%) or rectangles, 0.1-50 km2 (coal 2-50).
  const std::array<double, 4> status_w = {0.62, 0.08, 0.22, 0.08};
  const std::array<const char *, 4> statuses = {"producing", "construction", "stopped", "closed"};
  for (int i = 0; i < counts.mining_rights; ++i) {
    const Mineral &m = world.mineral(rng, false, {0.2, 0.22, 0.55, 0.03});
    const bool coal = m.category == "energy" && m.scale_unit == "万吨/年";
    const double target =
        std::clamp(coal ? rng.log_range(2, 50) : rng.log_range(0.1, 50, 2.0), 0.102, 49.0);
    const bool star = rng.chance(0.55);
    Point centre{};
    auto [geom, ok] = place(
        world, "mining right",
        [&]() -> std::pair<std::optional<MultiPolygon>, Point> {
          centre = world.clustered_point(rng, m.category);
          const LocalFrame lf(centre);
          if (!star) return {from_km(rectangle_km(rng, target), lf), centre};
          Waviness w{2, 0.12, 0, 0, 0.25, 0.4};
          return {from_km(star_km(rng, 4 + static_cast<int>(46 * std::pow(rng.uniform(), 3)), w,
                                  target),
                          lf),
                  centre};
        },
        0.1, 50.0);
    const std::array<double, 4> class_w = coal ? std::array<double, 4>{0.12, 0.22, 0.46, 0.20}
                                               : std::array<double, 4>{0.03, 0.10, 0.57, 0.30};
    const std::size_t cls = rng.weighted(class_w);
    const Band band = scale_bands(m)[cls];
    const double scale = std::clamp(round_scale(rng.log_range(band.lo, band.hi)), band.lo, band.hi);
    double open_pit = 0.3;
    if (coal)
      open_pit = 0.45;
    else if (m.category == "nonmetal")
      open_pit = 0.9;
    else if (m.category == "water_gas")
      open_pit = 0;
    const std::string method = rng.chance(open_pit) ? "open-pit" : "underground";
    const std::int64_t from =
        day_2006 +
        static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(day_2023 - day_2006 + 1)));
    const std::array<int, 4> years = {30, 20, 10, 3 + rng.range(0, 2)};
    const Ymd f = ymd_of(from);
    // Issued by the region for large and medium mines, else by the league; sand, gravel and
    // clay (no exploration risk) by the county.
    std::string authority = "150000";
    if (cls >= 2)
      authority =
          m.exploration_risk == "none" ? ok.county->division->code : ok.county->division->parent;
    char licence[40];
    std::snprintf(licence, sizeof licence, "C%s%04d%02d%d%d%d%07d", authority.c_str(), f.y, f.m,
                  category_digit(m.category), method == "open-pit" ? 1 : 2,
                  static_cast<int>(cls) + 1, ++serial_c);
    Right r;
    r.uid = r.licence_no = licence;
    r.kind = "mining";
    r.holder = holders.pick(rng, *ok.county, false);
    r.name = ok.county->division->name + world.place_name(rng) + m.name + "矿";
    r.minerals = {m.name};
    r.area = Quantity::make(std::nearbyint(ok.official_m2 / 1e2) / 1e4, "km2");
    r.scale = Quantity::make(scale, m.scale_unit);
    r.scale_class = kScaleClasses[cls];
    r.method = method;
    r.status = statuses[rng.weighted(status_w)];
    r.valid_from = iso_date(from);
    r.valid_to = iso_date(licence_end(from, years[cls]));
    r.jurisdiction = ok.county->division->code;
    r.official_area_m2 = ok.official_m2;
    r.attributes = Json{{"generated", true}};
    r.source = source;
    r.version_from = r.valid_from;
    out.vertices += distinct_vertices(geom);
    r.geometry = std::move(geom);
    out.mining.push_back({centre, &m});
    out.rights.push_back(std::move(r));
  }
  out.holders = holders.size();
  return out;
}

// ---------------------------------------------------------------------------------------------
// Zones.

constexpr const char *kSeed000 = "000_fc264dd9bf63fed9.txt";

Zone base_zone(const std::string &kind, const std::string &id, Citation cite) {
  Zone z;
  z.plan_id = kGeneratedPlanId;
  z.id = std::string(kGeneratedIdPrefix) + id;
  z.kind = kind;
  z.geometry_source = "generated";
  z.cite = std::move(cite);
  return z;
}

void finish_zone(Zone &z, MultiPolygon geom, const World::Checked &ok, Json attributes,
                 std::int64_t &vertices) {
  z.area = Quantity::make(std::nearbyint(ok.official_m2 / 1e4) / 1e2, "km2");
  z.official_area_m2 = ok.official_m2;
  attributes["generated"] = true;
  attributes["county"] = ok.county->division->code;
  z.attributes = std::move(attributes);
  vertices += distinct_vertices(geom);
  z.geometry = std::move(geom);
}

std::string seq(const char *prefix, int n, int width) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s%0*d", prefix, width, n);
  return buf;
}

struct GeneratedZones {
  std::vector<Zone> zones;
  std::int64_t vertices = 0;
};

GeneratedZones generate_blocks(const World &world, const GenerateOptions &opt,
                               const GenerateCounts &counts, const GeneratedRights &rights) {
  GeneratedZones out;
  const Citation eb_cite{kSeed000, "第五章第二节", "规划期拟设置勘查规划区块 1575个"};
  const Citation mb_cite{kSeed000, "第六章第三节", "本轮规划共设置开采规划区块 2056个"};
  const Citation kma_cite{kSeed000, "第六章第二节", "82个，划定为自治区重点矿区"};
  const Citation kea_cite{kSeed000, "第三章第三节", "划定 38个重点加强矿产资源勘查的区域"};
  const GenerateScale s = opt.scale;

  // Exploration planning blocks: 1' grid (80%) or irregular, 5-200 km2 (mean ~38 km2, the
  // seed's 5.97万 km2 over 1,575 blocks). Consolidation blocks sit on an exploration right.
  // Everything a placement depends on is drawn again on each attempt, so that a site near the
  // border cannot stall the generator.
  {
    Rng rng(opt.seed, Stream::exploration_blocks);
    const int consolidation = scaled(s, RegionFigures::eb_consolidation);
    for (int i = 0; i < counts.exploration_blocks; ++i) {
      const bool on_right = i < consolidation && !rights.exploration.empty();
      const Mineral *m = nullptr;
      auto [geom, ok] = place(
          world, "exploration block",
          [&]() -> std::pair<std::optional<MultiPolygon>, Point> {
            const RightSite *site = on_right ? &rng.pick(rights.exploration) : nullptr;
            m = site ? site->mineral : &world.mineral(rng, true, {0.14, 0.62, 0.21, 0.03});
            const double target = std::clamp(rng.log_range(5, 200, 1.6), 5.1, 196.0);
            const Point c = site ? world.near(rng, site->centre, 1.0)
                                 : world.clustered_point(rng, m->category, 0.6);
            if (rng.chance(0.8)) return {grid_polygon(rng, c, target, 50), c};
            Waviness w{2, 0.12, 0, 0, 0.2, 0.4};
            return {from_km(star_km(rng, rng.range(4, 50), w, target), LocalFrame(c)), c};
          },
          5.0, 200.0);
      Zone z = base_zone("exploration_block", seq("eb-", i + 1, 5), eb_cite);
      z.code = seq("KK15", i + 1, 5);
      z.name = ok.county->division->name + world.place_name(rng) + m->name +
               vocabulary().label("zone_kinds", "exploration_block");
      z.minerals = {m->name};
      finish_zone(z, std::move(geom), ok,
                  Json{{"origin", on_right ? "consolidation" : "new_blank"}}, out.vertices);
      out.zones.push_back(std::move(z));
    }
  }

  // Mining planning blocks: coal (15-200 km2) and non-coal (1-70 km2), by origin as the seed
  // counts them. Conversion blocks (探转采) sit on an exploration right, consolidation blocks on
  // a mining right; non-coal blocks name no sand/gravel/clay (those are the counties' blocks).
  {
    Rng rng(opt.seed, Stream::mining_blocks);
    struct Group {
      bool coal;
      const char *origin;
      int count;
    };
    const std::array<Group, 6> groups = {{
        {true, "new_blank", scaled(s, RegionFigures::coal_new)},
        {true, "conversion", scaled(s, RegionFigures::coal_conversion)},
        {true, "consolidation", scaled(s, RegionFigures::coal_consolidation)},
        {false, "new_blank", scaled(s, RegionFigures::noncoal_new)},
        {false, "conversion", scaled(s, RegionFigures::noncoal_conversion)},
        {false, "consolidation", scaled(s, RegionFigures::noncoal_consolidation)},
    }};
    std::vector<const RightSite *> coal_expl, coal_mine, other_expl, other_mine;
    auto is_coal = [](const RightSite &r) {
      return r.mineral->category == "energy" && r.mineral->scale_unit == "万吨/年";
    };
    for (const auto &r : rights.exploration)
      (is_coal(r) ? coal_expl : other_expl).push_back(&r);
    for (const auto &r : rights.mining)
      if (r.mineral->exploration_risk != "none")
        (is_coal(r) ? coal_mine : other_mine).push_back(&r);
    int n = 0;
    for (const Group &g : groups) {
      const std::string origin = g.origin;
      const auto &sites = origin == "conversion" ? (g.coal ? coal_expl : other_expl)
                                                 : (g.coal ? coal_mine : other_mine);
      for (int i = 0; i < g.count; ++i) {
        const Mineral *m = nullptr;
        auto [geom, ok] = place(
            world, "mining block",
            [&]() -> std::pair<std::optional<MultiPolygon>, Point> {
              const RightSite *site =
                  origin != "new_blank" && !sites.empty() ? rng.pick(sites) : nullptr;
              m = &world.coal();
              if (!g.coal)
                m = site && site->mineral->category != "energy"
                        ? site->mineral
                        : &world.mineral(rng, true, {0, 0.6, 0.4, 0});
              const double target = g.coal ? rng.log_range(15, 200, 1.2) : rng.log_range(1, 70);
              const Point c = site ? world.near(rng, site->centre, 0.5)
                                   : world.clustered_point(rng, m->category, 0.6);
              const LocalFrame lf(c);
              if (!rng.chance(0.6)) return {from_km(rectangle_km(rng, target), lf), c};
              Waviness w{2, 0.12, 0, 0, 0.2, 0.4};
              return {from_km(star_km(rng, rng.range(4, 50), w, target), lf), c};
            },
            0.1, 250.0);
        Zone z = base_zone("mining_block", seq("mb-", ++n, 5), mb_cite);
        z.code = seq("KC15", n, 5);
        z.name = ok.county->division->name + world.place_name(rng) + m->name +
                 vocabulary().label("zone_kinds", "mining_block");
        z.minerals = {m->name};
        finish_zone(z, std::move(geom), ok, Json{{"origin", origin}}, out.vertices);
        out.zones.push_back(std::move(z));
      }
    }
  }

  // Key mining areas (50-2000 km2, the first 51 national planned mining areas) and key
  // exploration areas (200-5000 km2, metal districts), around the districts.
  {
    Rng rng(opt.seed, Stream::key_areas);
    auto key_area = [&](const char *what, const char *kind, const std::string &id,
                        const std::string &code, const Citation &cite, bool exploration, double lo,
                        double hi, Json attributes) {
      const Mineral *m = nullptr;
      auto [geom, ok] = place(
          world, what,
          [&]() -> std::pair<std::optional<MultiPolygon>, Point> {
            const District &d = world.district(rng, exploration ? "metal" : "");
            m = d.category == "energy" && !exploration
                    ? &world.coal()
                    : &world.mineral(rng, true,
                                     d.category == "nonmetal" ? std::array<double, 4>{0, 0, 1, 0}
                                                              : std::array<double, 4>{0, 1, 0, 0});
            const double target = rng.log_range(lo, hi);
            const Point c = world.near(rng, d.centre, d.sigma_km / 3);
            Waviness w{3, 0.1, 2, 0.02, 0.04, 0.4};
            return {from_km(star_km(rng, rng.range(40, 120), w, target), LocalFrame(c)), c};
          },
          lo * 0.9, hi * 1.1);
      Zone z = base_zone(kind, id, cite);
      z.code = code;
      z.name = ok.county->division->name + world.place_name(rng) + m->name +
               (exploration ? vocabulary().label("zone_kinds", "key_exploration_area")
                            : std::string("重点矿区"));
      z.minerals = {m->name};
      finish_zone(z, std::move(geom), ok, std::move(attributes), out.vertices);
      out.zones.push_back(std::move(z));
    };
    const int national = std::min(counts.national_planned_areas, counts.key_mining_areas);
    for (int i = 0; i < counts.key_mining_areas; ++i)
      key_area("key mining area", "key_mining_area", seq("kma-", i + 1, 4), seq("ZC15", i + 1, 4),
               kma_cite, false, 50, 2000, Json{{"national_planned_area", i < national}});
    for (int i = 0; i < counts.key_exploration_areas; ++i)
      key_area("key exploration area", "key_exploration_area", seq("kea-", i + 1, 4),
               seq("ZK15", i + 1, 4), kea_cite, true, 200, 5000, Json::object());
  }
  return out;
}

// Red lines and prohibited areas: wavy star-shaped outlines of exactly `vertices` vertices
// around random centres, mean radius 2-30 km (90% of them 2-6 km, so that they cover about
// two fifths of the region rather than all of it). Generated in batches by the caller.
class ProtectedAreas {
public:
  ProtectedAreas(const World &world, const GenerateOptions &opt, const GenerateCounts &counts)
      : world_(world), rng_(opt.seed, Stream::protected_areas), counts_(counts) {}

  int total() const { return counts_.red_lines + counts_.prohibited_areas; }
  int done() const { return done_; }

  GeneratedZones next(int batch) {
    static const Citation red{kSeed000, "第六章第五节",
                              "严格执行《内蒙古自治区生态保护红线管理办法》"};
    static const Citation prohibited{kSeed000, "第六章第二节", "依法划定禁止开采区，并严格管理"};
    GeneratedZones out;
    const int n = counts_.protected_polygon_vertices;
    for (; batch > 0 && done_ < total(); --batch, ++done_) {
      const bool is_red = done_ < counts_.red_lines;
      const double radius = rng_.chance(0.9) ? rng_.log_range(2, 6) : rng_.log_range(6, 30);
      auto [geom, ok] = place(world_, is_red ? "red-line polygon" : "prohibited area", [&]() {
        const Point c = world_.uniform_point(rng_);
        Waviness w{4, 0.12, 6, 0.03, 0.015, 0.3};
        return std::pair{from_km(star_km(rng_, n, w, 0, radius), LocalFrame(c)), c};
      });
      const int k = is_red ? done_ + 1 : done_ - counts_.red_lines + 1;
      Zone z = is_red ? base_zone("red_line", seq("rl-", k, 6), red)
                      : base_zone("prohibited_area", seq("pa-", k, 6), prohibited);
      z.code = seq(is_red ? "HX15" : "JZ15", k, 6);
      z.name = ok.county->division->name + world_.place_name(rng_) +
               (is_red ? "生态保护红线区" : "自然保护区禁止开采区");
      finish_zone(z, std::move(geom), ok, Json{{"radius_km", std::nearbyint(radius * 1e3) / 1e3}},
                  out.vertices);
      out.zones.push_back(std::move(z));
    }
    return out;
  }

private:
  const World &world_;
  Rng rng_;
  GenerateCounts counts_;
  int done_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Content digest.

class Digest {
public:
  void add(const void *data, std::size_t n) {
    const auto *p = static_cast<const unsigned char *>(data);
    for (std::size_t i = 0; i < n; ++i) {
      a_ = (a_ ^ p[i]) * 0x100000001b3ULL;
      b_ = (b_ + p[i] + 1) * 0x9e3779b97f4a7c15ULL;
      b_ ^= b_ >> 29;
    }
  }
  void add(const std::string &s) {
    add(s.data(), s.size());
    add("\x1f", 1);
  }
  void add(double v) {
    std::uint64_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    add(&bits, sizeof bits);
  }
  void add(const std::optional<MultiPolygon> &g) {
    if (!g) return add(std::string("no geometry"));
    const auto wkb = geo::to_wkb(*g);
    add(wkb.data(), wkb.size());
  }
  std::string hex() const {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(a_),
                  static_cast<unsigned long long>(b_));
    return buf;
  }

private:
  std::uint64_t a_ = 0xcbf29ce484222325ULL;
  std::uint64_t b_ = 0x6a09e667f3bcc909ULL;
};

} // namespace

// ---------------------------------------------------------------------------------------------

std::optional<GenerateScale> parse_generate_scale(std::string_view text) {
  if (text == "small") return GenerateScale::small;
  if (text == "region") return GenerateScale::region;
  if (text == "national") return GenerateScale::national;
  return std::nullopt;
}

std::string_view generate_scale_name(GenerateScale s) {
  switch (s) {
  case GenerateScale::small: return "small";
  case GenerateScale::region: return "region";
  case GenerateScale::national: return "national";
  }
  return "?";
}

GenerateCounts generate_counts(GenerateScale s) {
  using F = RegionFigures;
  GenerateCounts c;
  c.exploration_rights = scaled(s, F::exploration_rights);
  c.mining_rights = scaled(s, F::mining_rights);
  c.exploration_blocks = scaled(s, F::eb_consolidation) + scaled(s, F::eb_new);
  c.coal_mining_blocks =
      scaled(s, F::coal_new) + scaled(s, F::coal_conversion) + scaled(s, F::coal_consolidation);
  c.mining_blocks = c.coal_mining_blocks + scaled(s, F::noncoal_new) +
                    scaled(s, F::noncoal_conversion) + scaled(s, F::noncoal_consolidation);
  c.key_mining_areas = scaled(s, F::key_mining_areas);
  c.national_planned_areas = scaled(s, F::national_planned_areas);
  c.key_exploration_areas = scaled(s, F::key_exploration_areas);
  c.red_lines = scaled(s, F::red_lines);
  c.prohibited_areas = scaled(s, F::prohibited_areas);
  c.protected_polygon_vertices = F::protected_vertices;
  return c;
}

GenerateReport generate_database(const fs::path &db, const Catalogue &catalogue,
                                 const GenerateOptions &opt) {
  const auto t0 = Clock::now();
  auto say = [&](const std::string &s) {
    if (opt.progress) opt.progress(s);
  };
  bool has_plan = false;
  for (const auto &p : catalogue.plans)
    has_plan = has_plan || p.plan.id == kGeneratedPlanId;
  if (!has_plan)
    throw Error(std::string("generate: the catalogue has no plan ") + kGeneratedPlanId +
                " to attach the generated zones to");

  GenerateReport rep;
  rep.counts = generate_counts(opt.scale);
  const World world(catalogue, opt.seed);
  const std::string source = "mineplan generate --seed " + std::to_string(opt.seed) + " --scale " +
                             std::string(generate_scale_name(opt.scale));
  {
    auto st = store::Store::open(db.string(), true);
    auto t = Clock::now();
    st->load_catalogue(catalogue);
    rep.seconds_catalogue = seconds_since(t);
    say("catalogue loaded (" + std::to_string(catalogue.plans.size()) + " plans)");

    t = Clock::now();
    GeneratedRights rights = generate_rights(world, opt, rep.counts);
    rep.seconds_generate += seconds_since(t);
    rep.right_vertices = rights.vertices;
    say("rights generated: " + std::to_string(rights.rights.size()) + " (" +
        std::to_string(rights.holders) + " holders, " + std::to_string(rights.vertices) +
        " vertices)");
    t = Clock::now();
    st->import_rights(rights.rights, "2023-12-31", source);
    rep.seconds_write += seconds_since(t);

    t = Clock::now();
    GeneratedZones blocks = generate_blocks(world, opt, rep.counts, rights);
    rep.seconds_generate += seconds_since(t);
    rep.block_vertices = blocks.vertices;
    say("planning blocks and key areas generated: " + std::to_string(blocks.zones.size()) + " (" +
        std::to_string(blocks.vertices) + " vertices)");
    t = Clock::now();
    st->import_zones(blocks.zones, source);
    rep.seconds_write += seconds_since(t);
    blocks = {};
    rights = {};

    // Protected polygons in batches of 5,000 (one transaction each): the region scale is one
    // batch; national stays within memory.
    ProtectedAreas prot(world, opt, rep.counts);
    while (prot.done() < prot.total()) {
      t = Clock::now();
      GeneratedZones batch = prot.next(5000);
      rep.seconds_generate += seconds_since(t);
      rep.protected_vertices += batch.vertices;
      t = Clock::now();
      st->import_zones(batch.zones, source);
      rep.seconds_write += seconds_since(t);
      say("red-line/prohibited polygons: " + std::to_string(prot.done()) + " of " +
          std::to_string(prot.total()) + " (" + std::to_string(rep.protected_vertices) +
          " vertices)");
    }
  } // closes the store (WAL checkpointed)
  rep.seconds_total = seconds_since(t0);
  std::error_code ec;
  rep.file_bytes = fs::file_size(db, ec);
  if (ec) rep.file_bytes = 0;
  for (const char *suffix : {"-wal", "-shm"}) {
    auto extra = fs::file_size(db.string() + suffix, ec);
    if (!ec) rep.file_bytes += extra;
  }
  return rep;
}

std::string content_digest(store::Store &st) {
  Digest d;
  for (const Right &r : st.rights(store::AsOf{})) {
    d.add(to_json(r).dump());
    d.add(r.geometry);
    d.add(r.official_area_m2.value_or(-1.0));
  }
  for (const auto &summary : st.plan_summaries()) {
    auto pd = st.plan(summary.plan.id);
    if (!pd) continue;
    d.add(pd->plan.id);
    for (const Zone &z : pd->zones) {
      d.add(to_json(z).dump());
      d.add(z.geometry);
      d.add(z.official_area_m2.value_or(-1.0));
    }
  }
  return d.hex();
}

} // namespace mineplan::io
