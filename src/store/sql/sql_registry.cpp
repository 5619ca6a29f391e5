// Registry lifecycle events and hand changes of mines (migration 6): append-only steps, each
// with its audit row in the same transaction; the closure gate on mines.
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/json_text.hpp"
#include "core/model_json.hpp"
#include "store/sql/sql_store.hpp"

namespace mineplan::store::sql {

void SqlStore::write_mine_change(const Mine &updated, const std::string &effective) {
  const std::string where = std::string("mine ").append(updated.uid);
  if (!is_iso_date(effective))
    throw InputError(where, 0, "effective",
                     "expected a date YYYY-MM-DD, found '" + effective + "'");
  auto current = query_mines("mine_uid = ?1 AND version_to IS NULL", {updated.uid});
  if (current.empty()) throw InputError(where, 0, "uid", "no current mine '" + updated.uid + "'");
  const Mine &before = current.front();
  if (effective < before.version_from)
    throw InputError(where, 0, "effective",
                     "the change takes effect on " + effective +
                         ", before the current version began (" + before.version_from + ")");
  if (updated.status == "closed" && before.status != "closed") {
    auto gate = db_.prepare("SELECT 1 FROM registry_events WHERE registry = ?1 AND subject = ?2 "
                            "AND to_state = ?3 AND on_date <= ?4");
    gate.bind(1, std::string(kClosureGateRegistry))
        .bind(2, updated.uid)
        .bind(3, std::string(kClosureGateState))
        .bind(4, effective);
    if (!gate.step())
      throw InputError(where, 0, "status",
                       std::string("a mine cannot be closed without restoration acceptance: "
                                   "expected a '")
                           .append(kClosureGateRegistry)
                           .append("' step reaching '")
                           .append(kClosureGateState)
                           .append("' on or before ")
                           .append(effective));
  }
  Mine next = updated;
  next.version_from.clear();
  next.version_to.clear();
  auto s = write_mines({next}, effective);
  if (s.changed == 0) throw InputError(where, 0, "", "nothing changed");
  append_audit("mine.update", "mines/" + updated.uid, to_json(before), to_json(next));
}

void SqlStore::update_mine(const Mine &updated, const std::string &effective) {
  Transaction tx(db_);
  write_mine_change(updated, effective);
  tx.commit();
}

std::int64_t SqlStore::append_registry_event(const RegistryEvent &e,
                                             const std::optional<Mine> &mine_change) {
  const std::string where = std::string(e.registry).append("/").append(e.subject);
  if (e.registry.empty() || e.subject.empty() || e.event.empty() || e.to_state.empty())
    throw InputError(where, 0, "", "registry, subject, event and state are required");
  if (!is_iso_date(e.date))
    throw InputError(where, 0, "date", "expected a date YYYY-MM-DD, found '" + e.date + "'");
  Transaction tx(db_);
  {
    auto last = db_.prepare("SELECT to_state FROM registry_events WHERE registry = ?1 AND "
                            "subject = ?2 ORDER BY fid DESC LIMIT 1");
    last.bind(1, e.registry).bind(2, e.subject);
    if (last.step() && last.text(0) != e.from_state)
      throw InputError(where, 0, e.event,
                       "the subject is now in state '" + last.text(0) + "', not '" + e.from_state +
                           "' (another step was recorded first)");
  }
  std::string who = e.who.empty() ? actor_.who : e.who;
  std::string role = e.role.empty() ? actor_.role : e.role;
  std::string at = now_utc_iso();
  db_.prepare("INSERT INTO registry_events (registry, subject, event, from_state, to_state, "
              "on_date, who, role, data, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
              "?9, ?10)")
      .bind(1, e.registry)
      .bind(2, e.subject)
      .bind(3, e.event)
      .bind(4, e.from_state)
      .bind(5, e.to_state)
      .bind(6, e.date)
      .bind(7, who)
      .bind(8, role)
      .bind(9, e.data.dump())
      .bind(10, at)
      .run();
  std::int64_t id = db_.last_insert_id();
  append_audit("registry." + e.registry + "." + e.event, where, Json{{"state", e.from_state}},
               Json{{"id", id},
                    {"state", e.to_state},
                    {"date", e.date},
                    {"who", who},
                    {"role", role},
                    {"data", e.data}});
  if (mine_change) write_mine_change(*mine_change, e.date);
  tx.commit();
  return id;
}

void SqlStore::in_transaction(const std::function<void()> &fn) {
  Transaction tx(db_);
  fn();
  tx.commit();
}

std::vector<RegistryEvent> SqlStore::registry_events(const std::string &registry,
                                                     const std::string &subject) {
  auto st = db_.prepare("SELECT fid, registry, subject, event, from_state, to_state, on_date, "
                        "who, role, data, recorded_at FROM registry_events WHERE registry = ?1 "
                        "AND (?2 = '' OR subject = ?2) ORDER BY fid");
  st.bind(1, registry).bind(2, subject);
  std::vector<RegistryEvent> out;
  while (st.step()) {
    RegistryEvent e;
    e.id = st.int64(0);
    e.registry = st.text(1);
    e.subject = st.text(2);
    e.event = st.text(3);
    e.from_state = st.text(4);
    e.to_state = st.text(5);
    e.date = st.text(6);
    e.who = st.text(7);
    e.role = st.text(8);
    e.data = parse_json_text(st.text(9), "registry_events");
    e.recorded_at = st.text(10);
    out.push_back(std::move(e));
  }
  return out;
}

} // namespace mineplan::store::sql
