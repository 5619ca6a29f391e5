#pragma once
// `mineplan import`: a file of rights, mines or zones into the store, all or nothing.
//
// Sources: GeoPackage, Shapefile, GeoJSON (features with attributes), CSV and XLSX ledgers
// (attributes only) through OGR, and the coordinate exchange text file (.txt: each parcel
// gives a known right / mine / zone its boundary, matched by parcel name or number).
//
// Every problem is collected (row / feature / parcel, column, what was expected); when there
// is any, nothing is written. Otherwise ONE Store::import_rights / import_mines / import_zones
// call writes everything in one transaction; a right or mine whose content changed gets a new
// version effective `as_of`.
#include "io/ledger.hpp"
#include "store/store.hpp"

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace mineplan::io {

struct ImportOptions {
  std::string layer = "rights"; // rights | mines | zones
  std::string as_of;            // the date changes take effect; empty = today
  std::string plan;             // zones: the plan they belong to
  std::string source_layer;     // the layer / sheet of a multi-layer source
  unsigned threads = 0;         // geometry checks and areas; 0 = all cores
  bool dry_run = false;         // check everything, write nothing
  // The server's authorisation: for a right's or mine's division code, why the importing user
  // may not write there (empty = allowed). Every refused row is a problem; nothing is written.
  std::function<std::string(const std::string &jurisdiction)> refuse_jurisdiction;
  // The current register when the caller has read it already (the use case that answers the
  // change views it once); null: read from the store.
  const std::vector<Right> *current_rights = nullptr;
  const std::vector<Mine> *current_mines = nullptr;
};

struct ImportResult {
  std::string file;         // as given
  std::string format;       // GDAL driver, or "coordinate file"
  std::string source_layer; // layer / sheet read
  std::string layer;        // rights | mines | zones
  std::string as_of;
  std::int64_t records = 0; // rows / features / parcels read
  std::vector<ImportProblem> problems;
  std::vector<std::string> warnings;
  store::ImportSummary summary;
  bool written = false;
  // The rows handed to the store when written (rights or mines), for the caller to compare
  // with the register before; not part of json().
  std::vector<Right> rights;
  std::vector<Mine> mines;

  Json json(std::size_t max_problems = 50) const;
};

// Throws mineplan::InputError for bad options (unknown layer, bad --as-of, unknown plan) and
// mineplan::Error when the file cannot be opened; problems in the content are returned.
ImportResult import_file(store::Store &store, const std::filesystem::path &file,
                         const ImportOptions &options, const LedgerSchema &schema);

} // namespace mineplan::io
