#include "store/sql/sql_store.hpp"

namespace mineplan::store::sql {

const std::vector<Layer> &spatial_layers() {
  static const std::vector<Layer> layers{
      {"divisions", "行政区划"},
      {"zones", "规划分区"},
      {"rights", "矿业权"},
      {"mines", "矿山"},
  };
  return layers;
}

const std::vector<Layer> &attribute_layers() {
  static const std::vector<Layer> layers{
      {"plans", "规划"},
      {"minerals", "矿种目录"},
      {"targets", "规划指标"},
      {"rules", "规划管控规则"},
      {"seed_tables", "规划专栏附表"},
      {"statistics", "基期统计"},
      {"imports", "导入记录"},
      {"reviews", "规划审查记录"},
      {"notices", "公告"},
      {"audit_log", "操作审计日志"},
      {"audit_heads", "审计日志签名树头"},
      {"reported_values", "指标填报值"},
      {"registry_events", "名录与专项工作台账"},
      // accounts and sessions are not layers: they hold password hashes and session tokens.
  };
  return layers;
}

bool is_versioned(std::string_view table) {
  return table == "rights" || table == "mines";
}

} // namespace mineplan::store::sql
