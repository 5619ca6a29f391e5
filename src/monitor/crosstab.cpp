#include "monitor/crosstab.hpp"

#include "core/error.hpp"
#include "io/vocabulary_loader.hpp"

namespace mineplan::monitor {

const Json &default_crosstab() {
  static const Json def = Json::parse(R"JSON({
    "layer": "mines",
    "columns": [
      {"label": "能源矿产", "filter": {"category": ["energy"]}},
      {"label": "金属矿产", "filter": {"category": ["metal"]}},
      {"label": "非金属矿产", "filter": {"category": ["nonmetal"]}},
      {"label": "水气矿产", "filter": {"category": ["water_gas"]}},
      {"label": "合计"}
    ],
    "row_groups": [
      {"label": "矿山规模", "dimension": "scale_class", "subtotal": "小计", "rows": [
        {"value": "large"}, {"value": "medium"}, {"value": "small"}, {"value": "below_small"}]},
      {"label": "生产状态", "dimension": "status", "subtotal": "小计", "rows": [
        {"value": "producing"}, {"value": "construction"}, {"value": "closed"}, {"value": "stopped"}]},
      {"label": "开采方式", "dimension": "method", "subtotal": "小计", "rows": [
        {"value": "open-pit"}, {"value": "underground"}]}
    ]
  })JSON");
  return def;
}

namespace {

const std::string &dimension_of(const Item &i, const std::string &dim) {
  if (dim == "scale_class") return i.scale_class;
  if (dim == "status") return i.status;
  if (dim == "method") return i.method;
  throw Error("unknown cross-tab dimension '" + dim + "'");
}

// The vocabulary set naming a dimension's values.
std::string_view vocabulary_set(const std::string &dim) {
  if (dim == "scale_class") return "scale_classes";
  if (dim == "status") return "statuses";
  if (dim == "method") return "methods";
  throw Error("unknown cross-tab dimension '" + dim + "'");
}

} // namespace

CrossTab build_crosstab(Register &reg, const Json &def, const std::vector<std::string> &columns,
                        const std::string &jurisdiction, const std::string &as_of) {
  CrossTab t;
  t.jurisdiction = jurisdiction;
  t.as_of = as_of;
  t.columns = columns;
  const std::string layer = def.value("layer", std::string("mines"));
  const Json filter = def.contains("filter") ? def["filter"] : Json();
  auto items = reg.select(layer, filter, jurisdiction, as_of);
  // The column each item falls in (an item may fall in several; 合计 has no filter).
  const Json &cols = def.at("columns");
  std::vector<std::vector<bool>> in_col(cols.size(), std::vector<bool>(items.size()));
  for (std::size_t c = 0; c < cols.size(); ++c) {
    const Json f = cols[c].contains("filter") ? cols[c]["filter"] : Json();
    for (std::size_t i = 0; i < items.size(); ++i)
      in_col[c][i] = reg.matches(f, *items[i], layer);
  }
  for (const auto &g : def.at("row_groups")) {
    const std::string dim = g.value("dimension", std::string());
    const std::string label = g.value("label", std::string());
    bool first = true;
    std::vector<bool> classified(items.size(), false);
    for (const auto &row : g.at("rows")) {
      const std::string value = row.value("value", std::string());
      // A row without its own label is named by the vocabulary (data/vocabulary.json).
      std::string row_label = row.value("label", std::string());
      if (row_label.empty()) row_label = io::vocabulary().label(vocabulary_set(dim), value);
      std::vector<std::string> cells{first ? label : "", row_label};
      first = false;
      for (std::size_t c = 0; c < cols.size(); ++c) {
        std::int64_t n = 0;
        for (std::size_t i = 0; i < items.size(); ++i)
          if (in_col[c][i] && dimension_of(*items[i], dim) == value) {
            ++n;
            classified[i] = true;
          }
        cells.push_back(std::to_string(n));
      }
      t.rows.push_back(std::move(cells));
    }
    std::int64_t unclassified = 0;
    for (std::size_t i = 0; i < items.size(); ++i)
      if (!classified[i]) ++unclassified;
    if (unclassified) t.unclassified.emplace_back(label, unclassified);
    if (g.contains("subtotal") && g["subtotal"].is_string()) {
      std::vector<std::string> cells{first ? label : "", g["subtotal"].get<std::string>()};
      for (std::size_t c = 0; c < cols.size(); ++c) {
        std::int64_t n = 0;
        for (std::size_t i = 0; i < items.size(); ++i)
          if (in_col[c][i]) ++n;
        cells.push_back(std::to_string(n));
      }
      t.rows.push_back(std::move(cells));
    }
  }
  return t;
}

std::vector<CrossTab> plan_crosstabs(Register &reg, const PlanData &pd, const std::string &as_of) {
  std::vector<CrossTab> out;
  for (const auto &st : pd.tables) {
    if (st.register_def.is_null()) continue;
    const std::string seed_date = st.register_def.value("as_of", std::string());
    const std::string date = as_of.empty() ? seed_date : as_of;
    if (date.empty()) continue;
    CrossTab t = build_crosstab(reg, st.register_def, st.columns, pd.plan.jurisdiction, date);
    t.plan_id = pd.plan.id;
    t.table_id = st.id;
    t.section = st.section;
    t.title = st.title;
    if (date == seed_date) {
      t.compared = true;
      for (std::size_t r = 0; r < std::max(t.rows.size(), st.rows.size()); ++r)
        for (std::size_t c = 0; c < t.columns.size(); ++c) {
          std::string seed = r < st.rows.size() && c < st.rows[r].size() ? st.rows[r][c] : "";
          std::string mine = r < t.rows.size() && c < t.rows[r].size() ? t.rows[r][c] : "";
          if (seed != mine) t.differences.push_back(CellDifference{r, c, seed, mine});
        }
    }
    out.push_back(std::move(t));
  }
  return out;
}

std::vector<CrossTab> jurisdiction_crosstabs(Register &reg, const std::string &jurisdiction,
                                             const std::string &as_of) {
  std::vector<CrossTab> out;
  for (const auto &s : reg.store().plan_summaries()) {
    if (s.plan.jurisdiction != jurisdiction || s.tables == 0) continue;
    auto pd = reg.store().plan(s.plan.id);
    if (!pd) continue;
    for (auto &t : plan_crosstabs(reg, *pd, as_of))
      out.push_back(std::move(t));
  }
  if (out.empty()) {
    const Json &def = default_crosstab();
    std::vector<std::string> columns{"", "矿产类型"};
    for (const auto &c : def["columns"])
      columns.push_back(c["label"].get<std::string>());
    CrossTab t = build_crosstab(reg, def, columns, jurisdiction, as_of);
    const Division *d = reg.division(jurisdiction);
    t.title = (d ? d->name : jurisdiction) + "矿山开发利用统计表";
    out.push_back(std::move(t));
  }
  return out;
}

Json to_json(const CrossTab &t) {
  Json diffs = Json::array();
  for (const auto &d : t.differences)
    diffs.push_back(Json{{"row", d.row + 1},
                         {"column", t.columns.size() > d.column ? t.columns[d.column] : ""},
                         {"row_label", ""},
                         {"seed", d.seed},
                         {"register", d.register_value}});
  for (std::size_t i = 0; i < t.differences.size(); ++i) {
    const auto &d = t.differences[i];
    if (d.row < t.rows.size() && t.rows[d.row].size() > 1) diffs[i]["row_label"] = t.rows[d.row][1];
  }
  Json unclassified = Json::object();
  for (const auto &[g, n] : t.unclassified)
    unclassified[g] = n;
  return Json{{"plan", t.plan_id.empty() ? Json(nullptr) : Json(t.plan_id)},
              {"table", t.table_id.empty() ? Json(nullptr) : Json(t.table_id)},
              {"section", t.section},
              {"title", t.title},
              {"jurisdiction", t.jurisdiction},
              {"as_of", t.as_of},
              {"columns", t.columns},
              {"rows", t.rows},
              {"unclassified", unclassified},
              {"compared_with_seed", t.compared},
              {"differences", diffs}};
}

} // namespace mineplan::monitor
