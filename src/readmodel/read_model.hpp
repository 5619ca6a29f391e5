#pragma once
// The read model: everything the server, the CLI's review and the benchmarks read of a store,
// built in ONE pass over it (divisions, minerals, the plan list, each plan, the current
// rights, the mines) and immutable afterwards. Each feature's geometry is held once, in its
// record here; the review's spatial index, the tile layers and the search index refer to that
// same geometry (geo::SharedGeometry aliasing the record).
//
// Readers hold a std::shared_ptr<const ReadModel> for as long as they read: a write builds a
// new model and swaps it in whole, and nobody sees a half-built one. Incremental updates
// (issue 17) fit the same shape: records and geometries are immutable and shared, so a new
// model can copy what did not change and replace only the changed features' records.
#include "core/model.hpp"
#include "core/shared_geometry.hpp"
#include "review/engine.hpp"
#include "store/store.hpp"
#include "tiles/layer_tiles.hpp"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace mineplan::readmodel {

// A layer served as vector tiles: its name (divisions, zones, rights, mines) and the
// properties its tiles carry besides `id` (data/layers.json, tile_properties).
struct TileLayer {
  std::string name;
  std::vector<std::string> properties;
};

struct SearchEntry {
  std::string layer; // divisions | zones | rights | mines
  std::string id;
  std::string name;
  std::string licence_no;
  geo::Envelope bbox; // empty when the feature has no geometry
};

struct BuildOptions {
  std::vector<TileLayer> tiled; // layers to cut tiles of (none: no tiles)
};

class ReadModel {
public:
  // Reads the store once and builds the model.
  static std::shared_ptr<const ReadModel> build(store::Store &store,
                                                const BuildOptions &options = {});
  // Builds the model from what was read (the review's source and the mines).
  ReadModel(std::shared_ptr<const review::EngineSource> source, std::vector<Mine> mines,
            const BuildOptions &options = {});
  ReadModel(const ReadModel &) = delete;
  ReadModel &operator=(const ReadModel &) = delete;
  ~ReadModel();

private:
  // Declared first: what the views below refer to.
  std::shared_ptr<const review::EngineSource> source_;
  std::shared_ptr<const std::vector<Mine>> mines_;

public:
  // The records, each held once.
  const std::vector<Division> &divisions;
  const std::vector<Mineral> &minerals;
  const std::vector<store::PlanSummary> &plans; // as the store lists them
  const std::vector<Right> &rights;             // the current register
  const std::vector<Mine> &mines;
  std::vector<const Zone *> zones; // every plan's zones, in plan-list order

  std::map<std::string, std::size_t> division_index; // code -> divisions[i]
  // The review engine over the same records (its index shares their geometry).
  std::shared_ptr<const review::ReviewEngine> engine;
  std::map<std::string, std::shared_ptr<const tiles::LayerTiles>> tiles; // by layer name
  std::vector<SearchEntry> search; // divisions, zones, rights, mines

  // True when `code` is `ancestor` or lies below it.
  bool within(const std::string &code, const std::string &ancestor) const;
  std::string division_name(const std::string &code) const;
  // The zone "<plan>/<zone id>", null when none.
  const Zone *zone(const std::string &plan_and_zone) const;
  // A feature's shared geometry: layer divisions (code), zones ("<plan>/<zone id>"), rights
  // (uid) or mines (uid); empty when it has none or is not known.
  geo::SharedGeometry geometry(const std::string &layer, const std::string &id) const;
  // The tile source of a layer: what the model hands to tiles::LayerTiles (features with
  // geometry; `id` plus the layer's properties; geometry shared with the records).
  std::vector<tiles::SourceFeature> tile_source(const TileLayer &layer) const;

private:
  std::map<std::string, const Zone *> zone_by_id_;
};

} // namespace mineplan::readmodel
