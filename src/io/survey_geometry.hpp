#pragma once
// Geometry arriving with plan data: survey coordinate files for zones, GeoJSON for outlines.
#include "core/model.hpp"

#include <filesystem>

namespace mineplan::io {

// Reads a coordinate exchange file, transforms it to CGCS2000 lon/lat, and sets the zone's
// geometry, official (planar Gauss-Krüger) area and source. Throws InputError/Error with the
// file's own problem when the survey is unusable (an error-severity problem).
void attach_survey_geometry(Zone &zone, const std::filesystem::path &file);

// A GeoJSON Polygon or MultiPolygon geometry object as a MultiPolygon (lon/lat as given).
geo::MultiPolygon geojson_multipolygon(const Json &geometry);

} // namespace mineplan::io
