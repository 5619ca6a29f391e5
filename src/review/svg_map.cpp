#include "review/svg_map.hpp"

#include "core/error.hpp"
#include "geo/area.hpp"
#include "geo/proj.hpp"
#include "io/vocabulary_loader.hpp"

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
  std::string kind;
  std::string label;
  std::string fill; // colour or url(#pattern)
  double fill_opacity = 1;
  std::string stroke;
  double stroke_width = 1;
  std::string dash; // stroke-dasharray, empty for solid
  int rank = 0;     // drawing order: lower first
};

std::string num_trim(double v, int decimals);

// A vocabulary symbol ("print": the opinion figure's) as SVG attributes; a hatch is the
// pattern mp-hatch-<id> that kDefs-like defs() defines.
Style style_from(std::string kind, std::string label, const Symbol &sym) {
  Style st;
  st.kind = std::move(kind);
  st.label = std::move(label);
  if (sym.hatch) {
    st.fill = "url(#mp-hatch-" + sym.hatch->id + ")";
  } else {
    st.fill = sym.fill.empty() ? "none" : sym.fill;
    st.fill_opacity = sym.fill_opacity;
  }
  st.stroke = sym.stroke;
  st.stroke_width = sym.stroke_width;
  for (double d : sym.dash) {
    if (!st.dash.empty()) st.dash += ' ';
    st.dash += num_trim(d, 2);
  }
  st.rank = sym.z;
  return st;
}

// The figure's symbology, from the vocabulary (data/vocabulary.json, "print"): the order of
// the zone kinds there is the order of the legend.
struct Styles {
  std::vector<Style> zones;
  std::vector<Style> rights;
  Style other_zone;
  Style other_right;
  Style boundary;
  std::vector<Hatch> hatches; // distinct by id, in order of first use
};

const Symbol &print_symbol(const NamedSymbol *s, std::string_view name) {
  if (s == nullptr || !s->print)
    throw Error("vocabulary.json: symbols." + std::string(name) + ".print is missing");
  return *s->print;
}

const Styles &styles() {
  static const Styles all = [] {
    const Vocabulary &v = io::vocabulary();
    Styles s;
    const auto add = [&](const TermSet &set, std::vector<Style> &out) {
      for (const auto &t : set.terms) {
        if (!t.print) continue;
        out.push_back(style_from(t.value, t.label, *t.print));
        if (t.print->hatch && std::none_of(s.hatches.begin(), s.hatches.end(), [&](const Hatch &h) {
              return h.id == t.print->hatch->id;
            }))
          s.hatches.push_back(*t.print->hatch);
      }
    };
    add(v.set("zone_kinds"), s.zones);
    add(v.set("right_kinds"), s.rights);
    s.other_zone = style_from("", "", print_symbol(v.symbol("other_zone"), "other_zone"));
    s.other_right = style_from("", "", print_symbol(v.symbol("other_right"), "other_right"));
    const NamedSymbol *app = v.symbol("application");
    s.boundary = style_from("boundary", app ? app->label : "", print_symbol(app, "application"));
    return s;
  }();
  return all;
}

const Style &style_of(const SpatialFeature &f) {
  const Styles &all = styles();
  if (f.layer == "right") {
    for (const auto &s : all.rights)
      if (s.kind == f.kind) return s;
    return all.other_right;
  }
  for (const auto &s : all.zones)
    if (s.kind == f.kind) return s;
  return all.other_zone;
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

std::string fixed2(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

// One pattern per hatch of the vocabulary, then the frame's clip path.
std::string defs() {
  std::string d = "<defs>";
  for (const Hatch &h : styles().hatches)
    d += "<pattern id=\"mp-hatch-" + h.id +
         "\" patternUnits=\"userSpaceOnUse\" width=\"7\" height=\"7\" "
         "patternTransform=\"rotate(" +
         num_trim(h.angle, 2) + ")\"><rect width=\"7\" height=\"7\" fill=\"" +
         (h.background.empty() ? h.color : h.background) + "\" fill-opacity=\"" +
         fixed2(h.background_opacity) + "\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"7\" stroke=\"" +
         h.color + "\" stroke-width=\"" + num_trim(h.width, 2) + "\"/></pattern>";
  d += "<clipPath id=\"mp-frame\"><rect x=\"10\" y=\"10\" width=\"520\" "
       "height=\"520\"/></clipPath></defs>";
  return d;
}

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
  const Term *t = io::vocabulary().find("zone_kinds", kind);
  return t ? t->label : std::string();
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
  s += defs();
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
  s += "<path data-id=\"boundary\" " + style_attrs(styles().boundary) + " d=\"" +
       path_data(boundary, sc) + "\"><title>" + xml_escape(styles().boundary.label) +
       "</title></path>";

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
  std::vector<std::pair<const Style *, std::string>> legend{
      {&styles().boundary, styles().boundary.label}};
  const auto present = [&](const Style &st, std::string_view layer) {
    return std::any_of(drawn.begin(), drawn.end(), [&](const Drawn &d) {
      return (d.f->layer == "right") == (layer == "right") && d.f->kind == st.kind;
    });
  };
  for (const auto &st : styles().zones)
    if (present(st, "zone")) legend.emplace_back(&st, std::string(st.label));
  for (const auto &st : styles().rights)
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
