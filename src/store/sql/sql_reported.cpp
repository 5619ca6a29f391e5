// Reported indicator values of the store (monitoring, migration 5).
#include "core/clock.hpp"
#include "core/error.hpp"
#include "store/sql/sql_store.hpp"

#include <cmath>

namespace mineplan::store::sql {

std::int64_t SqlStore::add_reported_value(const ReportedValue &v) {
  const std::string where =
      std::string("reported value ").append(v.plan_id).append("/").append(v.target_id);
  if (!is_iso_date(v.as_of))
    throw InputError(where, 0, "as_of", "expected a date YYYY-MM-DD, found '" + v.as_of + "'");
  if (!std::isfinite(v.value) || std::fabs(v.value) > kMaxAmount)
    throw InputError(where, 0, "value",
                     "数值应为有限且不超过 1e12 的数 (expected a finite number)");
  if (v.source.empty())
    throw InputError(where, 0, "source", "the source document of the value is required");
  Transaction tx(db_);
  auto target = db_.prepare("SELECT unit FROM targets WHERE plan_id = ?1 AND target_id = ?2");
  target.bind(1, v.plan_id).bind(2, v.target_id);
  if (!target.step()) throw InputError(where, 0, "target", "no such target in the store");
  std::string unit = target.text(0);
  if (!v.unit.empty() && v.unit != unit)
    throw InputError(where, 0, "unit", "the target is in " + unit + ", not " + v.unit);
  std::string who = v.who.empty() ? actor_.who : v.who;
  std::string at = now_utc_iso();
  db_.prepare("INSERT INTO reported_values (plan_id, target_id, value, unit, as_of, who, source, "
              "note, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
      .bind(1, v.plan_id)
      .bind(2, v.target_id)
      .bind(3, v.value)
      .bind(4, unit)
      .bind(5, v.as_of)
      .bind(6, who)
      .bind(7, v.source)
      .bind_text_or_null(8, v.note)
      .bind(9, at)
      .run();
  std::int64_t id = db_.last_insert_id();
  append_audit("indicator.report", v.plan_id + "/" + v.target_id, nullptr,
               Json{{"id", id},
                    {"value", v.value},
                    {"unit", unit},
                    {"as_of", v.as_of},
                    {"who", who},
                    {"source", v.source},
                    {"note", v.note}});
  tx.commit();
  return id;
}

std::vector<ReportedValue> SqlStore::reported_values(const std::string &plan_id) {
  auto st = db_.prepare("SELECT fid, plan_id, target_id, value, unit, as_of, who, source, note, "
                        "recorded_at FROM reported_values WHERE plan_id = ?1 ORDER BY target_id, "
                        "as_of, fid");
  st.bind(1, plan_id);
  std::vector<ReportedValue> out;
  while (st.step()) {
    ReportedValue v;
    v.id = st.int64(0);
    v.plan_id = st.text(1);
    v.target_id = st.text(2);
    v.value = st.real(3);
    v.unit = st.text(4);
    v.as_of = st.text(5);
    v.who = st.text(6);
    v.source = st.text(7);
    v.note = st.is_null(8) ? std::string() : st.text(8);
    v.recorded_at = st.text(9);
    out.push_back(std::move(v));
  }
  return out;
}

} // namespace mineplan::store::sql
