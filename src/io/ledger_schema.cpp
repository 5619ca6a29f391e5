// data/ledger-columns.json: loading, validation and look-ups.
#include "core/error.hpp"
#include "core/json_text.hpp"
#include "io/catalogue_loader.hpp"
#include "io/ledger.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace mineplan::io {
namespace {

const std::set<std::string> kLayers{"rights", "mines", "zones"};

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (auto &c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// Header key: trimmed, bracketed unit dropped, ASCII lower-cased (Chinese is unaffected).
std::string header_key(std::string_view header) {
  return lower_ascii(split_header(header).first);
}

class Problems {
public:
  explicit Problems(std::string file) : file_(std::move(file)) {}
  void add(const std::string &path, const std::string &msg) {
    list_.push_back(file_ + ": " + path + ": " + msg);
  }
  void raise_if_any() const {
    if (list_.empty()) return;
    std::ostringstream out;
    out << list_.size() << " problem(s) in the ledger column dictionary:";
    for (const auto &p : list_)
      out << "\n  " << p;
    throw Error(out.str());
  }

private:
  std::string file_;
  std::vector<std::string> list_;
};

bool is_string_map(const Json &j) {
  if (!j.is_object()) return false;
  for (const auto &[k, v] : j.items())
    if (!v.is_string()) return false;
  return true;
}

} // namespace

const std::set<std::string> &LedgerSchema::known_fields(const std::string &layer) {
  static const std::set<std::string> common{
      "licence_no",   "uid",         "name",       "holder",       "minerals",
      "scale_class",  "scale_value", "scale_unit", "status",       "method",
      "jurisdiction", "attributes",  "cite_seed",  "cite_section", "cite_quote"};
  static const std::set<std::string> rights = [] {
    auto s = common;
    s.insert({"kind", "valid_from", "valid_to", "validity", "area_value", "area_unit",
              "exploration_stage"});
    return s;
  }();
  static const std::set<std::string> mines = [] {
    auto s = common;
    s.insert({"green_level", "green_year"});
    return s;
  }();
  static const std::set<std::string> zones{"plan_id",    "zone_id",   "zone_kind",    "code",
                                           "name",       "minerals",  "area_value",   "area_unit",
                                           "attributes", "cite_seed", "cite_section", "cite_quote"};
  static const std::set<std::string> none;
  if (layer == "rights") return rights;
  if (layer == "mines") return mines;
  if (layer == "zones") return zones;
  return none;
}

const std::set<std::string> &LedgerSchema::canonical_values(const std::string &vocabulary) {
  static const std::map<std::string, std::set<std::string>> all{
      {"kind", {"exploration", "mining"}},
      {"scale_class", {"large", "medium", "small", "below_small"}},
      {"status", {"producing", "construction", "stopped", "closed"}},
      {"method", {"open-pit", "underground", "open-pit+underground"}},
      {"exploration_stage", {"reconnaissance", "general", "detailed", "exploration"}},
      {"green_level", {"national", "region", "league"}},
      {"zone_kind",
       {"exploration_block", "mining_block", "key_exploration_area", "key_mining_area",
        "national_planned_area", "resource_base", "concentrated_area", "restricted_area",
        "prohibited_area", "red_line", "reserve_core", "farmland", "town_boundary", "grassland",
        "consolidation_zone", "green_demo_zone", "restoration_area", "reserve_area",
        "survey_area"}},
  };
  static const std::set<std::string> none;
  auto it = all.find(vocabulary);
  return it == all.end() ? none : it->second;
}

LedgerSchema LedgerSchema::load(const std::filesystem::path &file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(file.string() + ": cannot read the ledger column dictionary");
  std::stringstream ss;
  ss << in.rdbuf();
  return parse(parse_json_text(ss.str(), file.string()), file.filename().string());
}

LedgerSchema LedgerSchema::load_default() {
  return load(default_data_dir() / "ledger-columns.json");
}

LedgerSchema LedgerSchema::parse(const Json &j, const std::string &source_name) {
  Problems problems(source_name);
  LedgerSchema s;
  if (!j.is_object()) {
    problems.add("(top)", "expected an object");
    problems.raise_if_any();
  }

  // vocabularies first: fields refer to them
  if (!j.contains("vocabularies") || !j["vocabularies"].is_object()) {
    problems.add("vocabularies", "expected an object of vocabularies");
  } else {
    for (const auto &[name, vocab] : j["vocabularies"].items()) {
      const auto &canon = canonical_values(name);
      std::string path = "vocabularies." + name;
      if (canon.empty()) {
        problems.add(path, "unknown vocabulary (expected kind, scale_class, status, method, "
                           "exploration_stage, green_level or zone_kind)");
        continue;
      }
      if (!is_string_map(vocab)) {
        problems.add(path, "expected an object of \"cell value\": \"canonical value\"");
        continue;
      }
      auto &map = s.vocabularies_[name];
      for (const auto &[key, value] : vocab.items()) {
        std::string v = value.get<std::string>();
        if (!canon.count(v)) {
          std::string allowed;
          for (const auto &c : canon)
            allowed += (allowed.empty() ? "" : ", ") + c;
          problems.add(path + "." + key, "\"" + v + "\" is not one of " + allowed);
          continue;
        }
        std::string k = trim_cell(key);
        if (k.empty()) problems.add(path, "empty key");
        map[lower_ascii(k)] = v;
      }
    }
  }

  if (!j.contains("fields") || !j["fields"].is_array()) {
    problems.add("fields", "expected an array of field entries");
  } else {
    const Json &fields = j["fields"];
    std::map<std::string, std::set<std::string>> field_layers; // field -> layers seen
    for (std::size_t i = 0; i < fields.size(); ++i) {
      const Json &f = fields[i];
      std::string path = "fields[" + std::to_string(i) + "]";
      if (!f.is_object() || !f.contains("field") || !f["field"].is_string()) {
        problems.add(path, "expected an object with \"field\", \"layers\" and \"headers\"");
        continue;
      }
      FieldEntry e;
      e.field = f["field"].get<std::string>();
      if (!f.contains("layers") || !f["layers"].is_array() || f["layers"].empty()) {
        problems.add(path + ".layers", "expected a non-empty array of rights | mines | zones");
      } else {
        for (const auto &l : f["layers"]) {
          if (!l.is_string() || !kLayers.count(l.get<std::string>())) {
            problems.add(path + ".layers", "expected rights, mines or zones, found " + l.dump());
            continue;
          }
          std::string layer = l.get<std::string>();
          if (!known_fields(layer).count(e.field))
            problems.add(path + ".field",
                         "\"" + e.field + "\" is not a field of the " + layer + " layer");
          if (!field_layers[e.field].insert(layer).second)
            problems.add(path, "field \"" + e.field + "\" has two entries for layer " + layer);
          e.layers.insert(layer);
        }
      }
      if (!f.contains("headers") || !f["headers"].is_array() || f["headers"].empty()) {
        problems.add(path + ".headers", "expected a non-empty array of header strings");
      } else {
        for (const auto &h : f["headers"]) {
          if (!h.is_string() || trim_cell(h.get<std::string>()).empty()) {
            problems.add(path + ".headers", "expected non-empty strings, found " + h.dump());
            continue;
          }
          e.headers.push_back(trim_cell(h.get<std::string>()));
        }
      }
      if (f.contains("vocabulary")) {
        if (!f["vocabulary"].is_string() ||
            !s.vocabularies_.count(f["vocabulary"].get<std::string>()))
          problems.add(path + ".vocabulary", "expected the name of a vocabulary defined below");
        else
          e.vocabulary = f["vocabulary"].get<std::string>();
      }
      for (const auto &layer : e.layers) {
        auto &idx = s.by_header_[layer];
        for (const auto &h : e.headers) {
          std::string key = header_key(h);
          auto [it, fresh] = idx.emplace(key, e.field);
          if (!fresh && it->second != e.field)
            problems.add(path + ".headers", "header \"" + h + "\" already maps to \"" + it->second +
                                                "\" in layer " + layer);
        }
      }
      s.fields_.push_back(std::move(e));
    }
    // every layer needs a way to name its records
    for (const char *layer : {"rights", "mines"})
      if (!field_layers["licence_no"].count(layer))
        problems.add("fields", std::string("no licence_no headers for layer ") + layer);
  }

  if (j.contains("ignore")) {
    if (!j["ignore"].is_array())
      problems.add("ignore", "expected an array of headers");
    else
      for (const auto &h : j["ignore"]) {
        if (!h.is_string()) {
          problems.add("ignore", "expected strings, found " + h.dump());
          continue;
        }
        s.ignore_.insert(header_key(h.get<std::string>()));
      }
  }

  auto string_map = [&](const char *key, std::map<std::string, std::string> &out,
                        const std::set<std::string> &allowed_values) {
    if (!j.contains(key)) return;
    if (!is_string_map(j[key])) {
      problems.add(key, "expected an object of strings");
      return;
    }
    for (const auto &[k, v] : j[key].items()) {
      std::string value = v.get<std::string>();
      if (!allowed_values.empty() && !allowed_values.count(value))
        problems.add(std::string(key) + "." + k, "unexpected value \"" + value + "\"");
      out[k] = value;
    }
  };
  string_map("kind_hints", s.kind_hints_, canonical_values("kind"));
  string_map("licence_prefixes", s.licence_prefixes_, canonical_values("kind"));
  for (auto &[k, v] : std::map<std::string, std::string>(s.kind_hints_)) {
    s.kind_hints_.erase(k);
    s.kind_hints_[header_key(k)] = v;
  }
  string_map("default_units", s.default_units_, {});
  for (const auto &[field, unit] : s.default_units_) {
    if (field != "area_unit" && field != "scale_unit")
      problems.add("default_units." + field, "expected area_unit or scale_unit");
    else if (!find_unit(unit))
      problems.add("default_units." + field, "unknown unit \"" + unit + "\"");
  }
  string_map("shapefile_names", s.shapefile_names_, {});
  for (const auto &[lng, shrt] : s.shapefile_names_) {
    if (shrt.empty() || shrt.size() > 10)
      problems.add("shapefile_names." + lng,
                   "expected a name of 1-10 characters, found \"" + shrt + "\"");
    if (lng.size() <= 10)
      problems.add("shapefile_names." + lng,
                   "only names longer than 10 characters need a short name");
    if (!s.shapefile_long_.emplace(lower_ascii(shrt), lng).second)
      problems.add("shapefile_names." + lng, "short name \"" + shrt + "\" used twice");
  }
  problems.raise_if_any();
  return s;
}

LedgerSchema::Match LedgerSchema::match(const std::string &layer, std::string_view header) const {
  Match m;
  auto [name, unit] = split_header(header);
  if (!unit.empty())
    if (const UnitInfo *u = find_unit(unit)) m.unit = std::string(u->symbol);
  std::string key = lower_ascii(name);
  if (auto it = shapefile_long_.find(key); it != shapefile_long_.end()) key = it->second;
  if (ignore_.count(key)) {
    m.ignored = true;
    return m;
  }
  auto li = by_header_.find(layer);
  if (li == by_header_.end()) return m;
  if (auto it = li->second.find(key); it != li->second.end()) m.field = it->second;
  return m;
}

std::string LedgerSchema::vocabulary_of(const std::string &layer, const std::string &field) const {
  for (const auto &e : fields_)
    if (e.field == field && e.layers.count(layer)) return e.vocabulary;
  return {};
}

std::optional<std::string> LedgerSchema::lookup(const std::string &vocabulary,
                                                std::string_view value) const {
  std::string v = lower_ascii(trim_cell(value));
  if (canonical_values(vocabulary).count(v)) return v;
  auto it = vocabularies_.find(vocabulary);
  if (it == vocabularies_.end()) return std::nullopt;
  if (auto e = it->second.find(v); e != it->second.end()) return e->second;
  return std::nullopt;
}

std::vector<std::string> LedgerSchema::vocabulary_keys(const std::string &vocabulary) const {
  std::vector<std::string> out;
  if (auto it = vocabularies_.find(vocabulary); it != vocabularies_.end())
    for (const auto &[k, v] : it->second)
      out.push_back(k);
  return out;
}

std::vector<std::string> LedgerSchema::headers_of(const std::string &layer,
                                                  const std::string &field) const {
  for (const auto &e : fields_)
    if (e.field == field && e.layers.count(layer)) return e.headers;
  return {field};
}

std::optional<std::string> LedgerSchema::kind_hint(std::string_view header) const {
  if (auto it = kind_hints_.find(header_key(header)); it != kind_hints_.end()) return it->second;
  return std::nullopt;
}

std::optional<std::string> LedgerSchema::kind_from_licence(std::string_view licence_no) const {
  std::string l = trim_cell(licence_no);
  if (l.size() < 2) return std::nullopt;
  // The letter must be followed by digits: C1525002010127120089745, T15120080302005927.
  if (l[1] < '0' || l[1] > '9') return std::nullopt;
  if (auto it = licence_prefixes_.find(std::string(1, l[0])); it != licence_prefixes_.end())
    return it->second;
  return std::nullopt;
}

std::optional<std::string> LedgerSchema::default_unit(const std::string &field) const {
  if (auto it = default_units_.find(field); it != default_units_.end()) return it->second;
  return std::nullopt;
}

} // namespace mineplan::io
