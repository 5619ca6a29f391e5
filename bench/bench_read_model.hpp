#pragma once
// The read model the benchmarks measure, built from a store the same way in each: the review's
// spatial index of every mapped zone and current right, and tile source features of a layer.
#include "geo/area.hpp"
#include "review/spatial.hpp"
#include "store/store.hpp"
#include "tiles/layer_tiles.hpp"

#include <string>
#include <vector>

namespace mineplan::bench {

struct IndexLoad {
  std::size_t zones = 0, rights = 0, vertices = 0;
  std::vector<geo::Point> right_sites; // a point inside each right, for placing boundaries
};

// Adds every zone with geometry and every current right with geometry to `index` (not built).
inline IndexLoad add_zones_and_rights(store::Store &st, review::SpatialIndex &index) {
  IndexLoad load;
  for (const auto &summary : st.plan_summaries()) {
    auto pd = st.plan(summary.plan.id);
    if (!pd) continue;
    for (auto &z : pd->zones) {
      if (!z.geometry) continue;
      review::SpatialFeature f;
      f.layer = "zone";
      f.id = pd->plan.id + "/" + z.id;
      f.plan_id = pd->plan.id;
      f.kind = z.kind;
      f.name = z.name;
      f.minerals = z.minerals;
      load.vertices += geo::vertex_count(*z.geometry);
      f.lonlat = std::move(*z.geometry);
      index.add(std::move(f));
      ++load.zones;
    }
  }
  for (auto &r : st.rights(store::AsOf{})) {
    if (!r.geometry) continue;
    load.right_sites.push_back(geo::planar_centroid(*r.geometry));
    review::SpatialFeature f;
    f.layer = "right";
    f.id = r.uid;
    f.kind = r.kind;
    f.name = r.name;
    f.holder = r.holder;
    f.minerals = r.minerals;
    load.vertices += geo::vertex_count(*r.geometry);
    f.lonlat = std::move(*r.geometry);
    index.add(std::move(f));
    ++load.rights;
  }
  return load;
}

// The properties docs/api.md lists for the layer, from the store's row (fid as the id).
inline tiles::SourceFeature source_feature(const store::Feature &f,
                                           const std::vector<std::string> &keys,
                                           std::size_t &vertices) {
  tiles::SourceFeature s;
  s.id = f.properties.value("fid", std::uint64_t{0});
  s.properties.emplace_back("id", static_cast<std::int64_t>(s.id));
  for (const auto &k : keys) {
    const std::string column = k == "uid" ? "right_uid" : k;
    auto it = f.properties.find(column);
    if (it == f.properties.end() || it->is_null()) continue;
    if (it->is_string())
      s.properties.emplace_back(k, it->get<std::string>());
    else if (it->is_boolean())
      s.properties.emplace_back(k, it->get<bool>());
    else if (it->is_number_integer())
      s.properties.emplace_back(k, it->get<std::int64_t>());
    else if (it->is_number())
      s.properties.emplace_back(k, it->get<double>());
  }
  if (f.geometry) {
    vertices += geo::vertex_count(*f.geometry);
    s.lonlat = *f.geometry;
  }
  return s;
}

} // namespace mineplan::bench
