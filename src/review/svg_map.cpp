#include "review/svg_map.hpp"

#include "core/error.hpp"
#include "geo/area.hpp"
#include "geo/proj.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <numeric>

namespace mineplan::review {
namespace {

// Figure layout (SVG user units; the figure scales to the page width).
constexpr double kWidth = 720;
constexpr double kHeight = 540;
constexpr double kFrameX = 10;
constexpr double kFrameY = 10;
constexpr double kFrameW = 520;
constexpr double kFrameH = 520;
constexpr double kLegendX = 548;
// Vertices further than this outside the frame are candidates for dropping (see ring_path).
constexpr double kOutsideMargin = 24;
// Consecutive screen vertices closer than this are merged.
constexpr double kMinStep = 0.25;

struct Style {
  std::string_view kind;
  std::string_view label;
  std::string_view fill; // colour or url(#pattern)
  double fill_opacity;
  std::string_view stroke;
  double stroke_width;
  std::string_view dash; // stroke-dasharray, empty for solid
  int rank;              // drawing order: lower first
};

// Planning symbology: prohibited areas and red lines in red hatching, restricted areas orange,
// mining areas and blocks blue, exploration green, farmland yellow hatching, rights as grey
// outlines. The order of this table is the order of the legend.
constexpr std::array kZoneStyles{
    Style{"red_line", "生态保护红线", "url(#mp-hatch-red)", 1, "#d7191c", 1.2, "", 3},
    Style{"prohibited_area", "禁止勘查开采区", "url(#mp-hatch-red)", 1, "#d7191c", 1.2, "", 3},
    Style{"reserve_core", "自然保护地核心区", "url(#mp-hatch-red)", 1, "#a50f15", 1.2, "", 3},
    Style{"restricted_area", "限制勘查开采区", "#fdae61", 0.45, "#e66101", 1.0, "", 1},
    Style{"farmland", "永久基本农田", "url(#mp-hatch-yellow)", 1, "#b8860b", 1.0, "", 1},
    Style{"grassland", "基本草原", "#a6d96a", 0.35, "#4d9221", 0.8, "", 0},
    Style{"town_boundary", "城镇开发边界", "#c994c7", 0.25, "#7a0177", 1.0, "6 3", 0},
    Style{"concentrated_area", "集中开采区", "#6baed6", 0.45, "#2171b5", 1.0, "", 2},
    Style{"mining_block", "开采规划区块", "#9ecae1", 0.5, "#2171b5", 1.0, "", 2},
    Style{"key_mining_area", "重点开采区", "#4292c6", 0.25, "#08519c", 1.0, "8 3", 0},
    Style{"national_planned_area", "国家规划矿区", "#3182bd", 0.2, "#08306b", 1.0, "8 3", 0},
    Style{"resource_base", "能源资源基地", "#c6dbef", 0.35, "#4292c6", 1.0, "8 3", 0},
    Style{"exploration_block", "勘查规划区块", "#a1d99b", 0.5, "#31a354", 1.0, "", 2},
    Style{"key_exploration_area", "重点勘查区", "#74c476", 0.25, "#006d2c", 1.0, "8 3", 0},
    Style{"survey_area", "重点调查评价区", "#c7e9c0", 0.35, "#41ab5d", 1.0, "4 3", 0},
    Style{"reserve_area", "矿产地储备区", "#e5f5e0", 0.6, "#41ab5d", 1.0, "4 3", 0},
    Style{"consolidation_zone", "资源整合区", "#bcbddc", 0.35, "#756bb1", 1.0, "", 1},
    Style{"green_demo_zone", "绿色矿业发展示范区", "#b8e186", 0.3, "#4d9221", 1.0, "8 3", 0},
    Style{"restoration_area", "矿山生态修复区", "#d8b365", 0.3, "#8c510a", 1.0, "", 0},
};

constexpr std::array kRightStyles{
    Style{"exploration", "探矿权", "#bdbdbd", 0.08, "#636363", 1.3, "5 3", 4},
    Style{"mining", "采矿权", "#969696", 0.15, "#252525", 1.3, "", 4},
};

constexpr Style kOtherZone{"", "", "#d9d9d9", 0.3, "#737373", 1.0, "", 0};
constexpr Style kOtherRight{"", "", "#d9d9d9", 0.1, "#525252", 1.3, "2 2", 4};
constexpr Style kBoundary{"boundary", "申请范围", "#ff0000", 0.06, "#e00000", 3.0, "", 5};

const Style &style_of(const SpatialFeature &f) {
  if (f.layer == "right") {
    for (const auto &s : kRightStyles)
      if (s.kind == f.kind) return s;
    return kOtherRight;
  }
  for (const auto &s : kZoneStyles)
    if (s.kind == f.kind) return s;
  return kOtherZone;
}

std::string num(double v, int decimals) {
  if (std::abs(v) < 0.5 * std::pow(10.0, -decimals)) v = 0; // no "-0.0"
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

// Trailing zeros dropped: 2.50 -> "2.5", 3.00 -> "3".
std::string num_trim(double v, int decimals) {
  std::string s = num(v, decimals);
  if (s.find('.') != std::string::npos) {
    while (!s.empty() && s.back() == '0')
      s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
  }
  return s;
}

// The largest 1, 2 or 5 times a power of ten not above v (v > 0).
double nice_floor(double v) {
  const double p = std::pow(10.0, std::floor(std::log10(v)));
  const double m = v / p;
  return (m >= 5 ? 5 : m >= 2 ? 2 : 1) * p;
}

std::string style_attrs(const Style &s) {
  std::string a = "fill=\"" + std::string(s.fill) + "\"";
  if (s.fill_opacity < 1) a += " fill-opacity=\"" + num_trim(s.fill_opacity, 2) + "\"";
  a += " stroke=\"" + std::string(s.stroke) + "\" stroke-width=\"" + num_trim(s.stroke_width, 2) +
       "\"";
  if (!s.dash.empty()) a += " stroke-dasharray=\"" + std::string(s.dash) + "\"";
  return a;
}

geo::MultiPolygon project(const geo::Transformer &t, geo::MultiPolygon mp) {
  for (auto &poly : mp) {
    t.apply(poly.outer);
    for (auto &h : poly.holes)
      t.apply(h);
  }
  return mp;
}

struct Screen {
  double k = 1;     // px per metre
  double x_min = 0; // easting at the frame's left edge
  double y_max = 0; // northing at the frame's top edge
  double sx(double x) const { return kFrameX + (x - x_min) * k; }
  double sy(double y) const { return kFrameY + (y_max - y) * k; }
};

unsigned outcode(double x, double y) {
  unsigned c = 0;
  if (x < kFrameX - kOutsideMargin) c |= 1;
  if (x > kFrameX + kFrameW + kOutsideMargin) c |= 2;
  if (y < kFrameY - kOutsideMargin) c |= 4;
  if (y > kFrameY + kFrameH + kOutsideMargin) c |= 8;
  return c;
}

// One ring as path data in screen units. A vertex is dropped when it, the last vertex kept and
// the next vertex all lie beyond the same side of the (widened) frame: the triangle cut off
// lies outside the frame, so the visible fill is unchanged (even-odd or non-zero alike). Far
// outside parts of large zones collapse to a few vertices this way.
void ring_path(const geo::Ring &ring, const Screen &sc, std::string &d) {
  std::size_t n = ring.size();
  if (n > 1 && ring.front() == ring.back()) --n;
  if (n == 0) return;
  std::vector<std::pair<double, double>> pts(n);
  std::vector<unsigned> code(n);
  for (std::size_t i = 0; i < n; ++i) {
    pts[i] = {sc.sx(ring[i].x), sc.sy(ring[i].y)};
    code[i] = outcode(pts[i].first, pts[i].second);
  }
  char buf[64];
  std::size_t last = 0;
  std::snprintf(buf, sizeof buf, "M%s %s", num(pts[0].first, 1).c_str(),
                num(pts[0].second, 1).c_str());
  d += buf;
  for (std::size_t i = 1; i < n; ++i) {
    const bool final_vertex = i + 1 == n;
    if (!final_vertex && (code[last] & code[i] & code[i + 1]) != 0) continue;
    if (!final_vertex && std::abs(pts[i].first - pts[last].first) < kMinStep &&
        std::abs(pts[i].second - pts[last].second) < kMinStep)
      continue;
    std::snprintf(buf, sizeof buf, "%s%s %s", last == 0 ? "L" : " ", num(pts[i].first, 1).c_str(),
                  num(pts[i].second, 1).c_str());
    d += buf;
    last = i;
  }
  d += "Z";
}

std::string path_data(const geo::MultiPolygon &mp, const Screen &sc) {
  std::string d;
  for (const auto &poly : mp) {
    ring_path(poly.outer, sc, d);
    for (const auto &h : poly.holes)
      ring_path(h, sc, d);
  }
  return d;
}

bool in_frame(double x, double y, double inset) {
  return x >= kFrameX + inset && x <= kFrameX + kFrameW - inset && y >= kFrameY + inset &&
         y <= kFrameY + kFrameH - inset;
}

// Where a feature's number goes: its centroid when that is in the frame, else the mean of its
// vertices in the frame; false when nothing of it is visible.
bool label_point(const geo::MultiPolygon &planar, const Screen &sc, double &x, double &y) {
  const geo::Point c = geo::planar_centroid(planar);
  x = sc.sx(c.x);
  y = sc.sy(c.y);
  if (in_frame(x, y, 10)) return true;
  double sx = 0, sy = 0;
  std::size_t n = 0;
  for (const auto &poly : planar)
    for (const auto &p : poly.outer) {
      const double px = sc.sx(p.x), py = sc.sy(p.y);
      if (in_frame(px, py, 10)) {
        sx += px;
        sy += py;
        ++n;
      }
    }
  if (n == 0) return false;
  x = sx / static_cast<double>(n);
  y = sy / static_cast<double>(n);
  return true;
}

geo::Envelope clip(const geo::Envelope &e, const geo::Envelope &window) {
  geo::Envelope r;
  r.min_x = std::max(e.min_x, window.min_x);
  r.min_y = std::max(e.min_y, window.min_y);
  r.max_x = std::min(e.max_x, window.max_x);
  r.max_y = std::min(e.max_y, window.max_y);
  return r;
}

const char *const kDefs =
    "<defs>"
    "<pattern id=\"mp-hatch-red\" patternUnits=\"userSpaceOnUse\" width=\"7\" height=\"7\" "
    "patternTransform=\"rotate(45)\"><rect width=\"7\" height=\"7\" fill=\"#d7191c\" "
    "fill-opacity=\"0.10\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"7\" stroke=\"#d7191c\" "
    "stroke-width=\"1.6\"/></pattern>"
    "<pattern id=\"mp-hatch-yellow\" patternUnits=\"userSpaceOnUse\" width=\"7\" height=\"7\" "
    "patternTransform=\"rotate(-45)\"><rect width=\"7\" height=\"7\" fill=\"#ffe566\" "
    "fill-opacity=\"0.35\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"7\" stroke=\"#c9a100\" "
    "stroke-width=\"1.2\"/></pattern>"
    "<clipPath id=\"mp-frame\"><rect x=\"10\" y=\"10\" width=\"520\" height=\"520\"/></clipPath>"
    "</defs>";

} // namespace

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    case '\'': out += "&#39;"; break;
    default:
      // Control characters other than tab and newline are not allowed in XML text.
      if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n')
        out += ' ';
      else
        out += c;
    }
  }
  return out;
}

std::string feature_kind_label(const SpatialFeature &feature) {
  const Style &s = style_of(feature);
  if (!s.label.empty()) return std::string(s.label);
  return feature.kind.empty() ? feature.layer : feature.kind;
}

std::string zone_kind_label(std::string_view kind) {
  for (const auto &s : kZoneStyles)
    if (s.kind == kind) return std::string(s.label);
  return {};
}

MapFigure draw_map(const geo::MultiPolygon &boundary_lonlat,
                   const std::vector<const SpatialFeature *> &features) {
  if (boundary_lonlat.empty()) throw Error("draw_map: the boundary is empty");
  MapFigure fig;
  const int zone = geo::gauss_kruger_zone_for(geo::planar_centroid(boundary_lonlat).x, 3);
  const geo::Crs plane = geo::Crs::gauss_kruger(geo::Datum::CGCS2000, 3, zone, false);
  fig.crs = geo::Crs::gauss_kruger(geo::Datum::CGCS2000, 3, zone, true);
  const geo::Transformer t(geo::Crs::geographic(geo::Datum::CGCS2000), plane);
  const geo::MultiPolygon boundary = project(t, boundary_lonlat);
  const double prefix = zone * 1e6;

  int point_no = 0;
  for (std::size_t p = 0; p < boundary.size(); ++p) {
    const geo::Ring &r = boundary[p].outer;
    std::size_t n = r.size();
    if (n > 1 && r.front() == r.back()) --n;
    for (std::size_t i = 0; i < n; ++i)
      fig.corners.push_back({static_cast<int>(p + 1), ++point_no, r[i].y, r[i].x + prefix});
  }

  // Features in the plane; those that cannot be projected are reported, not drawn.
  struct Drawn {
    std::size_t index;
    const SpatialFeature *f;
    geo::MultiPolygon planar;
  };
  std::vector<Drawn> drawn;
  fig.labels.assign(features.size(), "");
  for (std::size_t i = 0; i < features.size(); ++i) {
    const SpatialFeature *f = features[i];
    if (f == nullptr) continue;
    if (geo::vertex_count(f->lonlat) == 0) {
      fig.notes.push_back(f->id + "：无图形，未绘制");
      continue;
    }
    try {
      drawn.push_back({i, f, project(t, f->lonlat)});
    } catch (const Error &e) {
      fig.notes.push_back(f->id + "：无法投影到本图坐标系（" + e.what() + "），未绘制");
    }
  }

  // The view: the boundary and what lies near it. Each feature is clipped to a window around
  // the boundary, 1.5 times the boundary's size, widened to reach a feature that lies apart
  // (a concentrated area some way off) but never beyond 8 times the boundary's size, so a vast
  // zone does not shrink the boundary to a dot.
  const geo::Envelope benv = geo::envelope_of(boundary);
  const double bsize = std::max({benv.max_x - benv.min_x, benv.max_y - benv.min_y, 50.0});
  geo::Envelope view = benv;
  for (const auto &d : drawn) {
    const geo::Envelope e = geo::envelope_of(d.planar);
    if (e.empty()) continue;
    const double gx = std::max({e.min_x - benv.max_x, benv.min_x - e.max_x, 0.0});
    const double gy = std::max({e.min_y - benv.max_y, benv.min_y - e.max_y, 0.0});
    const double grow = std::max(1.5 * bsize, std::min(std::hypot(gx, gy) + bsize, 8 * bsize));
    geo::Envelope window = benv;
    window.min_x -= grow;
    window.min_y -= grow;
    window.max_x += grow;
    window.max_y += grow;
    if (!e.intersects(window)) continue;
    const geo::Envelope c = clip(e, window);
    view.expand({c.min_x, c.min_y});
    view.expand({c.max_x, c.max_y});
  }
  const double pad =
      std::max(0.06 * std::max(view.max_x - view.min_x, view.max_y - view.min_y), 20.0);
  view.min_x -= pad;
  view.min_y -= pad;
  view.max_x += pad;
  view.max_y += pad;
  Screen sc;
  const double vw = view.max_x - view.min_x, vh = view.max_y - view.min_y;
  sc.k = std::min(kFrameW / vw, kFrameH / vh);
  sc.x_min = view.min_x - (kFrameW / sc.k - vw) / 2;
  sc.y_max = view.max_y + (kFrameH / sc.k - vh) / 2;
  const double shown_w = kFrameW / sc.k, shown_h = kFrameH / sc.k;

  std::string s;
  s.reserve(16384);
  s += "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"map\" viewBox=\"0 0 " + num(kWidth, 0) +
       " " + num(kHeight, 0) +
       "\" font-family=\"'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','SimHei',"
       "sans-serif\" role=\"img\" aria-label=\"申请范围与规划分区、矿业权叠加示意图\">";
  s += kDefs;
  s += "<rect x=\"0\" y=\"0\" width=\"720\" height=\"540\" fill=\"#ffffff\"/>";

  // Kilometre grid (coordinates in km, eastings with the zone number).
  const double grid = nice_floor(std::max(shown_w, shown_h) / 4);
  const int gdec = grid >= 1000 ? 0 : grid >= 100 ? 1 : grid >= 10 ? 2 : 3;
  s += "<g class=\"grid\" stroke=\"#c8c8c8\" stroke-width=\"0.5\">";
  std::string grid_labels;
  for (long long i = static_cast<long long>(std::ceil(sc.x_min / grid));
       static_cast<double>(i) * grid <= sc.x_min + shown_w; ++i) {
    const double gx = static_cast<double>(i) * grid;
    const double x = sc.sx(gx);
    s += "<line x1=\"" + num(x, 1) + "\" y1=\"10\" x2=\"" + num(x, 1) + "\" y2=\"530\"/>";
    if (x > kFrameX + 20 && x < kFrameX + kFrameW - 40)
      grid_labels += "<text x=\"" + num(x + 2, 1) + "\" y=\"527\">" +
                     num((gx + prefix) / 1000, gdec) + "</text>";
  }
  const double gy_min = sc.y_max - shown_h;
  for (long long i = static_cast<long long>(std::ceil(gy_min / grid));
       static_cast<double>(i) * grid <= sc.y_max; ++i) {
    const double gy = static_cast<double>(i) * grid;
    const double y = sc.sy(gy);
    s += "<line x1=\"10\" y1=\"" + num(y, 1) + "\" x2=\"530\" y2=\"" + num(y, 1) + "\"/>";
    if (y > kFrameY + 40 && y < kFrameY + kFrameH - 70) // clear of the scale bar
      grid_labels +=
          "<text x=\"13\" y=\"" + num(y - 2, 1) + "\">" + num(gy / 1000, gdec) + "</text>";
  }
  s += "</g>";

  // Features, background kinds first; input order within a rank.
  std::vector<std::size_t> order(drawn.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return style_of(*drawn[a].f).rank < style_of(*drawn[b].f).rank;
  });
  s += "<g clip-path=\"url(#mp-frame)\" fill-rule=\"evenodd\" stroke-linejoin=\"round\">";
  for (std::size_t o : order) {
    const Drawn &d = drawn[o];
    s += "<path data-id=\"" + xml_escape(d.f->id) + "\" data-kind=\"" + xml_escape(d.f->kind) +
         "\" " + style_attrs(style_of(*d.f)) + " d=\"" + path_data(d.planar, sc) + "\"><title>" +
         xml_escape(feature_kind_label(*d.f) + " " + (d.f->name.empty() ? d.f->id : d.f->name)) +
         "</title></path>";
  }
  s += "<path data-id=\"boundary\" " + style_attrs(kBoundary) + " d=\"" + path_data(boundary, sc) +
       "\"><title>申请范围</title></path>";

  // Corner numbers (J1 …) as in the corner table, set outward from the centroid; left out
  // when there are too many to read.
  if (fig.corners.size() <= 40) {
    const geo::Point c = geo::planar_centroid(boundary);
    const double cx = sc.sx(c.x), cy = sc.sy(c.y);
    s += "<g class=\"corners\" font-size=\"8\" fill=\"#b00000\" text-anchor=\"middle\">";
    int no = 0;
    for (const auto &poly : boundary) {
      std::size_t n = poly.outer.size();
      if (n > 1 && poly.outer.front() == poly.outer.back()) --n;
      for (std::size_t i = 0; i < n; ++i) {
        const double x = sc.sx(poly.outer[i].x), y = sc.sy(poly.outer[i].y);
        const double dx = x - cx, dy = y - cy, len = std::hypot(dx, dy);
        const double ox = len > 0 ? dx / len * 9 : 0, oy = len > 0 ? dy / len * 9 : -9;
        s += "<text x=\"" + num(x + ox, 1) + "\" y=\"" + num(y + oy + 3, 1) + "\">J" +
             std::to_string(++no) + "</text>";
      }
    }
    s += "</g>";
  }

  // Numbers of the features, as in the feature table of the opinion.
  for (const auto &d : drawn) {
    const std::string label_no = std::to_string(d.index + 1);
    double lx = 0, ly = 0;
    if (!label_point(d.planar, sc, lx, ly)) continue;
    fig.labels[d.index] = label_no;
    s += "<g class=\"label\"><circle cx=\"" + num(lx, 1) + "\" cy=\"" + num(ly, 1) +
         "\" r=\"8\" fill=\"#ffffff\" fill-opacity=\"0.9\" stroke=\"#333333\" "
         "stroke-width=\"0.8\"/><text x=\"" +
         num(lx, 1) + "\" y=\"" + num(ly + 3.2, 1) +
         "\" font-size=\"9\" text-anchor=\"middle\" fill=\"#111111\">" + label_no + "</text></g>";
  }
  s += "</g>";
  s += "<g class=\"grid-labels\" font-size=\"8\" fill=\"#666666\">" + grid_labels + "</g>";

  // Scale bar, bottom left.
  const double bar_m = nice_floor(shown_w * 0.25);
  fig.scale_bar_m = bar_m;
  const double bar_px = bar_m * sc.k;
  const bool km = bar_m >= 1000;
  const auto bar_text = [&](double m) { return km ? num_trim(m / 1000, 3) : num_trim(m, 1); };
  // Box at y 474..506: above the easting labels of the bottom edge.
  const std::string half = num(bar_px / 2, 1);
  s += "<g class=\"scale-bar\" font-size=\"9\"><rect x=\"16\" y=\"474\" width=\"" +
       num(bar_px + 40, 1) + "\" height=\"32\" fill=\"#ffffff\" fill-opacity=\"0.85\"/>";
  s += "<rect x=\"24\" y=\"492\" width=\"" + half +
       "\" height=\"5\" fill=\"#000000\" stroke=\"#000000\" stroke-width=\"0.6\"/>";
  s += "<rect x=\"" + num(24 + bar_px / 2, 1) + "\" y=\"492\" width=\"" + half +
       "\" height=\"5\" fill=\"#ffffff\" stroke=\"#000000\" stroke-width=\"0.6\"/>";
  s += "<text x=\"24\" y=\"488\" text-anchor=\"middle\">0</text>";
  s += "<text x=\"" + num(24 + bar_px / 2, 1) + "\" y=\"488\" text-anchor=\"middle\">" +
       bar_text(bar_m / 2) + "</text>";
  s += "<text x=\"" + num(24 + bar_px, 1) + "\" y=\"488\" text-anchor=\"middle\">" +
       bar_text(bar_m) + "</text>";
  s += "<text x=\"" + num(29 + bar_px, 1) + "\" y=\"498\">" + (km ? "km" : "m") + "</text></g>";

  // North arrow, top right (grid north: the X axis of the plane).
  s += "<g class=\"north-arrow\"><rect x=\"494\" y=\"16\" width=\"30\" height=\"46\" "
       "fill=\"#ffffff\" fill-opacity=\"0.85\"/>"
       "<polygon points=\"509,32 502,58 509,52\" fill=\"#000000\"/>"
       "<polygon points=\"509,32 516,58 509,52\" fill=\"#ffffff\" stroke=\"#000000\" "
       "stroke-width=\"0.8\"/>"
       "<text x=\"509\" y=\"29\" font-size=\"12\" font-weight=\"bold\" "
       "text-anchor=\"middle\">N</text></g>";

  s += "<rect x=\"10\" y=\"10\" width=\"520\" height=\"520\" fill=\"none\" stroke=\"#000000\" "
       "stroke-width=\"1\"/>";

  // Legend: the boundary, then the kinds present in table order, then unknown kinds.
  std::vector<std::pair<const Style *, std::string>> legend{{&kBoundary, "申请范围"}};
  const auto present = [&](const Style &st, std::string_view layer) {
    return std::any_of(drawn.begin(), drawn.end(), [&](const Drawn &d) {
      return (d.f->layer == "right") == (layer == "right") && d.f->kind == st.kind;
    });
  };
  for (const auto &st : kZoneStyles)
    if (present(st, "zone")) legend.emplace_back(&st, std::string(st.label));
  for (const auto &st : kRightStyles)
    if (present(st, "right")) legend.emplace_back(&st, std::string(st.label));
  for (const auto &d : drawn) {
    const Style &st = style_of(*d.f);
    if (!st.kind.empty()) continue;
    const std::string label = d.f->kind.empty() ? d.f->layer : d.f->kind;
    if (std::none_of(legend.begin(), legend.end(),
                     [&](const auto &e) { return e.first == &st && e.second == label; }))
      legend.emplace_back(&st, label);
  }
  const double step = std::min(22.0, 380.0 / static_cast<double>(legend.size()));
  s += "<g class=\"legend\" font-size=\"11\"><text x=\"" + num(kLegendX, 0) +
       "\" y=\"26\" font-size=\"13\" font-weight=\"bold\">图　例</text>";
  for (std::size_t i = 0; i < legend.size(); ++i) {
    const double y = 44 + step * static_cast<double>(i);
    const Style &st = *legend[i].first;
    s += "<rect x=\"" + num(kLegendX, 0) + "\" y=\"" + num(y - 10, 1) +
         "\" width=\"26\" height=\"13\" " + style_attrs(st) + "/><text x=\"" +
         num(kLegendX + 34, 0) + "\" y=\"" + num(y + 1, 1) + "\">" + xml_escape(legend[i].second) +
         "</text>";
  }
  s += "</g>";
  const std::string grid_text =
      grid >= 1000 ? num_trim(grid / 1000, 3) + " km" : num_trim(grid, 1) + " m";
  s += "<g class=\"map-notes\" font-size=\"9\" fill=\"#333333\">"
       "<text x=\"548\" y=\"458\">2000国家大地坐标系</text>"
       "<text x=\"548\" y=\"472\">高斯-克吕格投影 3°带 " +
       std::to_string(zone) +
       "带</text>"
       "<text x=\"548\" y=\"486\">格网间距 " +
       grid_text +
       "，标注单位 km</text>"
       "<text x=\"548\" y=\"500\">图中编号见要素表</text>"
       "<text x=\"548\" y=\"514\">上方为坐标北</text></g>";
  s += "</svg>";
  fig.svg = std::move(s);
  return fig;
}

} // namespace mineplan::review
