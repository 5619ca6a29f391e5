#pragma once
// The map figure of the written opinion: an application's boundary against the zones and rights
// a review touched, drawn as inline SVG in the boundary's CGCS2000 3° Gauss-Krüger plane, in
// conventional planning symbology, with a kilometre grid, a scale bar, a north arrow and a
// legend. Output is a pure function of the inputs (fixed number formatting, input order).
#include "geo/crs.hpp"
#include "core/geometry.hpp"
#include "review/spatial.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace mineplan::review {

// Escapes text for HTML/XML content and attribute values (& < > " ').
std::string xml_escape(std::string_view text);

// Chinese name of a feature's kind: 生态保护红线, 集中开采区, 采矿权 …; unknown kinds verbatim.
std::string feature_kind_label(const SpatialFeature &feature);
// Chinese name of a zone kind id (red_line -> 生态保护红线); empty when unknown.
std::string zone_kind_label(std::string_view kind);

// A corner of the boundary in surveyors' terms: X = northing, Y = easting with the zone number
// prefixed, in metres.
struct MapCorner {
  int part = 0;  // 1-based polygon of the multipolygon
  int index = 0; // 1-based point number, continuous over the parts
  double x = 0;  // northing
  double y = 0;  // easting, zone-prefixed
};

struct MapFigure {
  std::string svg;                 // the <svg> element
  geo::Crs crs;                    // the plane the figure is drawn in (zone-prefixed form)
  std::vector<MapCorner> corners;  // outer-ring corners of the boundary, closing point omitted
  std::vector<std::string> labels; // per input feature: its number on the map, "" when not drawn
  std::vector<std::string> notes;  // features that could not be drawn, and why
  double scale_bar_m = 0;          // length the scale bar stands for
};

// Draws the boundary (CGCS2000 lon/lat, non-empty) and the features. Every feature with
// geometry gets one <path> (data-id = its id), even when it lies outside the frame; the
// boundary is the <path> with data-id="boundary". Throws mineplan::Error when the boundary
// cannot be projected.
MapFigure draw_map(const geo::MultiPolygon &boundary_lonlat,
                   const std::vector<const SpatialFeature *> &features);

} // namespace mineplan::review
