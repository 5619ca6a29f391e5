// The read model: one pass over the store, each geometry held once. See read_model.hpp.
#include "readmodel/read_model.hpp"

#include "core/model_json.hpp"

#include <utility>

namespace mineplan::readmodel {

namespace {

tiles::Value tile_value(const Json &v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number_integer()) return v.get<std::int64_t>();
  if (v.is_number()) return v.get<double>();
  if (v.is_array()) {
    std::string joined;
    for (const auto &x : v)
      joined += (joined.empty() ? "" : "、") + (x.is_string() ? x.get<std::string>() : x.dump());
    return joined;
  }
  return v.dump();
}

// A geometry of a record, shared with the block that owns the record.
template <typename Owner>
geo::SharedGeometry share(const std::shared_ptr<Owner> &owner,
                          const std::optional<geo::MultiPolygon> &g) {
  if (!g) return {};
  return geo::SharedGeometry(std::shared_ptr<const geo::MultiPolygon>(owner, &*g));
}

// The JSON form a layer's tile properties are taken from (the feature API's form plus `id`).
Json division_json(const Division &d) {
  return Json{{"id", d.code}, {"code", d.code}, {"name", d.name}, {"level", d.level}};
}
Json zone_json(const Zone &z) {
  Json j = to_json(z);
  j["id"] = z.plan_id + "/" + z.id;
  j["zone_id"] = z.id;
  return j;
}
Json right_json(const Right &r) {
  Json j = to_json(r);
  j["id"] = r.uid;
  return j;
}
Json mine_json(const Mine &m) {
  Json j = to_json(m);
  j["id"] = m.uid;
  j["green_level"] = m.green_level.empty() ? Json(nullptr) : Json(m.green_level);
  return j;
}

} // namespace

std::shared_ptr<const ReadModel> ReadModel::build(store::Store &store,
                                                  const BuildOptions &options) {
  // The one pass: divisions, minerals, the plan list and each plan, the current rights (what
  // the review reads), then the mines.
  std::shared_ptr<const review::EngineSource> source = review::read_engine_source(store);
  std::vector<Mine> mines = store.mines({});
  return std::make_shared<const ReadModel>(std::move(source), std::move(mines), options);
}

ReadModel::ReadModel(std::shared_ptr<const review::EngineSource> source, std::vector<Mine> mines,
                     const BuildOptions &options)
    : source_(std::move(source)),
      mines_(std::make_shared<const std::vector<Mine>>(std::move(mines))),
      divisions(source_->divisions), minerals(source_->minerals), plans(source_->summaries),
      rights(source_->rights), mines(*mines_) {
  for (std::size_t i = 0; i < divisions.size(); ++i)
    division_index[divisions[i].code] = i;
  // Zones in the order of the plan list (the store's), as the API lists them.
  std::map<std::string, const PlanData *> plan_by_id;
  for (const auto &pd : source_->plans)
    plan_by_id.emplace(pd.plan.id, &pd);
  for (const auto &s : plans) {
    auto it = plan_by_id.find(s.plan.id);
    if (it == plan_by_id.end()) continue;
    for (const auto &z : it->second->zones) {
      zones.push_back(&z);
      zone_by_id_.emplace(z.plan_id + "/" + z.id, &z);
    }
  }

  engine = std::make_shared<const review::ReviewEngine>(source_);

  auto add_search = [&](const char *layer, const std::string &id, const std::string &name,
                        const std::string &licence, const std::optional<geo::MultiPolygon> &g) {
    SearchEntry e{layer, id, name, licence, {}};
    if (g) e.bbox = geo::envelope_of(*g);
    search.push_back(std::move(e));
  };
  for (const auto &d : divisions)
    add_search("divisions", d.code, d.name, "", d.outline);
  for (const Zone *z : zones)
    add_search("zones", z->plan_id + "/" + z->id, z->name, z->code, z->geometry);
  for (const auto &r : rights)
    add_search("rights", r.uid, r.name, r.licence_no, r.geometry);
  for (const auto &m : this->mines)
    add_search("mines", m.uid, m.name, m.licence_no, m.geometry);

  for (const auto &layer : options.tiled)
    if (layer.name == "divisions" || layer.name == "zones" || layer.name == "rights" ||
        layer.name == "mines")
      tiles[layer.name] = std::make_shared<const tiles::LayerTiles>(layer.name, tile_source(layer));
}

ReadModel::~ReadModel() = default;

std::vector<tiles::SourceFeature> ReadModel::tile_source(const TileLayer &layer) const {
  std::vector<tiles::SourceFeature> out;
  std::uint64_t n = 0; // the tile id: the record's position in its layer, from 1
  auto add = [&](const Json &props, geo::SharedGeometry geometry) {
    ++n;
    if (geometry.empty()) return;
    tiles::SourceFeature f;
    f.id = n;
    f.lonlat = std::move(geometry);
    f.properties.emplace_back("id", tile_value(props.at("id")));
    for (const auto &key : layer.properties)
      if (props.contains(key) && !props[key].is_null())
        f.properties.emplace_back(key, tile_value(props[key]));
    out.push_back(std::move(f));
  };
  if (layer.name == "divisions")
    for (const auto &d : divisions)
      add(division_json(d), share(source_, d.outline));
  if (layer.name == "zones")
    for (const Zone *z : zones)
      add(zone_json(*z), share(source_, z->geometry));
  if (layer.name == "rights")
    for (const auto &r : rights)
      add(right_json(r), share(source_, r.geometry));
  if (layer.name == "mines")
    for (const auto &m : mines)
      add(mine_json(m), share(mines_, m.geometry));
  return out;
}

bool ReadModel::within(const std::string &code, const std::string &ancestor) const {
  std::string c = code;
  for (int guard = 0; guard < 8 && !c.empty(); ++guard) {
    if (c == ancestor) return true;
    auto it = division_index.find(c);
    if (it == division_index.end()) return false;
    c = divisions[it->second].parent;
  }
  return false;
}

std::string ReadModel::division_name(const std::string &code) const {
  auto it = division_index.find(code);
  return it == division_index.end() ? std::string() : divisions[it->second].name;
}

const Zone *ReadModel::zone(const std::string &plan_and_zone) const {
  auto it = zone_by_id_.find(plan_and_zone);
  return it == zone_by_id_.end() ? nullptr : it->second;
}

geo::SharedGeometry ReadModel::geometry(const std::string &layer, const std::string &id) const {
  if (layer == "divisions") {
    auto it = division_index.find(id);
    if (it != division_index.end()) return share(source_, divisions[it->second].outline);
  } else if (layer == "zones") {
    if (const Zone *z = zone(id)) return share(source_, z->geometry);
  } else if (layer == "rights") {
    for (const auto &r : rights)
      if (r.uid == id) return share(source_, r.geometry);
  } else if (layer == "mines") {
    for (const auto &m : mines)
      if (m.uid == id) return share(mines_, m.geometry);
  }
  return {};
}

} // namespace mineplan::readmodel
