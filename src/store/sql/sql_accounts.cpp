// Accounts, sessions, notices and the audit log of the store.
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/json_text.hpp"
#include "core/model_json.hpp"
#include "store/audit_log.hpp"
#include "store/sql/sql_store.hpp"

#include <sodium.h>

#include <algorithm>
#include <map>

namespace mineplan::store {
namespace {

std::string hex(const unsigned char *data, std::size_t n) {
  static const char *digits = "0123456789abcdef";
  std::string out;
  out.reserve(2 * n);
  for (std::size_t i = 0; i < n; ++i) {
    out += digits[data[i] >> 4];
    out += digits[data[i] & 15];
  }
  return out;
}

} // namespace

// Each field is length-prefixed so that no two different rows hash the same text.
std::string audit_chain_hash(const AuditEntry &e) {
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  auto feed = [&](const std::string &s) {
    std::string len = std::to_string(s.size()) + ":";
    crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char *>(len.data()), len.size());
    crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char *>(s.data()), s.size());
  };
  feed(e.prev_hash);
  feed(e.at);
  feed(e.who);
  feed(e.role);
  feed(e.action);
  feed(e.target);
  feed(e.before.is_null() ? std::string() : e.before.dump());
  feed(e.after.is_null() ? std::string() : e.after.dump());
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&st, out);
  return hex(out, sizeof out);
}

} // namespace mineplan::store

namespace mineplan::store::sql {
namespace {

// A row's before/after column that is not JSON (edited behind the store's back) is named, row
// and column, rather than reported as a bare parse error.
struct BadAuditJson : Error {
  BadAuditJson(std::int64_t id, const char *column)
      : Error("审计日志第 " + std::to_string(id) + " 行的 " + column +
              " 列不是合法的 JSON (audit row " + std::to_string(id) + ": column " + column +
              " is not valid JSON)"),
        id(id) {}
  std::int64_t id;
};

Json json_or_null(const Statement &st, int col, const char *column) {
  if (st.is_null(col)) return nullptr;
  const std::int64_t id = st.int64(0);
  // What the store writes nests a few levels; a row nested far deeper was not written by it.
  auto j = try_parse_json_text(st.text(col));
  if (!j) throw BadAuditJson(id, column);
  return std::move(*j);
}

AuditEntry audit_row(const Statement &st) {
  AuditEntry e;
  e.id = st.int64(0);
  e.at = st.text(1);
  e.who = st.text(2);
  e.role = st.text(3);
  e.action = st.text(4);
  e.target = st.text(5);
  e.before = json_or_null(st, 6, "before");
  e.after = json_or_null(st, 7, "after");
  e.prev_hash = st.text(8);
  e.hash = st.text(9);
  return e;
}

constexpr const char *kAuditColumns =
    "SELECT fid, at, who, role, action, target, before, after, prev_hash, hash FROM audit_log";

// A row's canonical bytes, the Merkle leaf (docs/audit.md): a version tag, then every column as
// stored — fid in decimal, each text "<byte length>:<bytes>", a NULL as "-" — so that two rows
// differing in any column are different leaves.
std::string audit_leaf(const Statement &st) {
  std::string out = "mineplan audit row v1\n";
  out.append(std::to_string(st.int64(0)));
  for (int col = 1; col < 10; ++col) {
    if (st.is_null(col)) {
      out.append("-");
      continue;
    }
    const std::string v = st.text(col);
    out.append(std::to_string(v.size())).append(":").append(v);
  }
  return out;
}

SignedHead head_row(const Statement &st) {
  SignedHead h;
  h.log_id = st.text(0);
  h.tree_size = st.int64(1);
  h.root_hash = st.text(2);
  h.timestamp = st.text(3);
  h.algorithm = st.text(4);
  h.public_key = st.text(5);
  h.signature = st.text(6);
  return h;
}

Account account_row(const Statement &st) {
  Account a;
  a.id = st.int64(0);
  a.username = st.text(1);
  a.display_name = st.text(2);
  a.role = st.text(3);
  a.jurisdiction = st.text(4);
  a.holder = st.is_null(5) ? "" : st.text(5);
  a.password_hash = st.text(6);
  a.created_at = st.text(7);
  a.active = st.int64(8) != 0;
  return a;
}

constexpr const char *kAccountColumns = "SELECT fid, username, display_name, role, jurisdiction, "
                                        "holder, password_hash, created_at, active FROM accounts";

} // namespace

void SqlStore::append_audit(const std::string &action, const std::string &target,
                            const Json &before, const Json &after) {
  AuditEntry e;
  e.at = now_utc_iso();
  e.who = actor_.who;
  e.role = actor_.role;
  e.action = action;
  e.target = target;
  e.before = before;
  e.after = after;
  {
    auto last = db_.prepare("SELECT hash FROM audit_log ORDER BY fid DESC LIMIT 1");
    e.prev_hash = last.step() ? last.text(0) : std::string();
  }
  e.hash = audit_chain_hash(e);
  auto st = db_.prepare("INSERT INTO audit_log (at, who, role, action, target, before, after, "
                        "prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  st.bind(1, e.at).bind(2, e.who).bind(3, e.role).bind(4, e.action).bind(5, e.target);
  if (before.is_null())
    st.bind(6, std::nullopt);
  else
    st.bind(6, before.dump());
  if (after.is_null())
    st.bind(7, std::nullopt);
  else
    st.bind(7, after.dump());
  st.bind(8, e.prev_hash).bind(9, e.hash).run();
}

void SqlStore::audit(const std::string &action, const std::string &target, const Json &before,
                     const Json &after) {
  Transaction tx(db_);
  append_audit(action, target, before, after);
  tx.commit();
}

std::vector<AuditEntry> SqlStore::audit_entries(std::int64_t after_id, int limit) {
  std::vector<AuditEntry> out;
  auto st = db_.prepare(std::string(kAuditColumns) + " WHERE fid > ?1 ORDER BY fid LIMIT ?2");
  st.bind(1, after_id).bind(2, limit);
  while (st.step())
    out.push_back(audit_row(st));
  return out;
}

AuditCheck SqlStore::verify_audit() {
  AuditCheck check;
  auto st = db_.prepare(std::string(kAuditColumns) + " ORDER BY fid");
  std::string prev;
  auto fail = [&](std::int64_t id, const std::string &problem) {
    check.ok = false;
    check.first_bad = id;
    check.problem = problem;
    return check;
  };
  while (st.step()) {
    ++check.rows;
    AuditEntry e;
    try {
      e = audit_row(st);
    } catch (const BadAuditJson &bad) {
      return fail(bad.id, bad.what());
    }
    const std::string row = std::to_string(e.id);
    if (e.prev_hash != prev)
      return fail(e.id, "第 " + row + " 行的 prev_hash 与上一行不符：有行被删除或插入 (row " + row +
                            ": prev_hash does not match the row before it (a row was removed "
                            "or inserted))");
    if (audit_chain_hash(e) != e.hash)
      return fail(e.id, "第 " + row + " 行的内容与其哈希不符：写入后被改动 (row " + row +
                            ": its content does not match its hash (the row was changed after "
                            "it was written))");
    prev = e.hash;
  }
  return check;
}

std::int64_t SqlStore::add_account(const Account &a) {
  Transaction tx(db_);
  if (this->account(a.username))
    throw InputError("account", 0, "username", "'" + a.username + "' is taken");
  if (!a.licences.empty() && a.role != "holder")
    throw InputError("account", 0, "licences",
                     "只有矿业权人账户关联矿业权 (only a holder's account is linked to licences)");
  db_.prepare("INSERT INTO accounts (username, display_name, role, jurisdiction, holder, "
              "password_hash, created_at, active) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
      .bind(1, a.username)
      .bind(2, a.display_name.empty() ? a.username : a.display_name)
      .bind(3, a.role)
      .bind(4, a.jurisdiction)
      .bind_text_or_null(5, a.holder)
      .bind(6, a.password_hash)
      .bind(7, now_utc_iso())
      .bind(8, a.active ? 1 : 0)
      .run();
  std::int64_t id = db_.last_insert_id();
  // The hash is never logged: the row says who was made, with which powers.
  append_audit("account.add", "accounts/" + a.username, nullptr,
               Json{{"username", a.username},
                    {"display_name", a.display_name},
                    {"role", a.role},
                    {"jurisdiction", a.jurisdiction},
                    {"holder", a.holder}});
  for (const auto &licence : a.licences)
    write_link(a, licence);
  tx.commit();
  return id;
}

std::optional<Account> SqlStore::account(const std::string &username) {
  std::optional<Account> a;
  {
    auto st = db_.prepare(std::string(kAccountColumns) + " WHERE username = ?1");
    st.bind(1, username);
    if (!st.step()) return std::nullopt;
    a = account_row(st);
  }
  a->licences = licences_of(a->username);
  return a;
}

std::vector<Account> SqlStore::accounts() {
  std::vector<Account> out;
  {
    auto st = db_.prepare(std::string(kAccountColumns) + " ORDER BY fid");
    while (st.step())
      out.push_back(account_row(st));
  }
  std::map<std::string, std::vector<std::string>> links;
  {
    auto st = db_.prepare("SELECT username, licence_no FROM account_licences ORDER BY licence_no");
    while (st.step())
      links[st.text(0)].push_back(st.text(1));
  }
  for (auto &a : out)
    a.licences = std::move(links[a.username]);
  return out;
}

std::vector<std::string> SqlStore::licences_of(const std::string &username) {
  std::vector<std::string> out;
  auto st = db_.prepare(
      "SELECT licence_no FROM account_licences WHERE username = ?1 ORDER BY licence_no");
  st.bind(1, username);
  while (st.step())
    out.push_back(st.text(0));
  return out;
}

bool SqlStore::write_link(const Account &a, const std::string &licence_no) {
  if (a.role != "holder")
    throw InputError("account", 0, "username",
                     "只有矿业权人账户关联矿业权 ('" + a.username + "' is a " + a.role +
                         " account, not a holder's)");
  if (licence_no.empty() || licence_no.size() > 64)
    throw InputError("account", 0, "licences",
                     "许可证号应为1至64个字符 (a licence number is 1-64 characters)");
  {
    auto there =
        db_.prepare("SELECT 1 FROM account_licences WHERE username = ?1 AND licence_no = ?2");
    there.bind(1, a.username).bind(2, licence_no);
    if (there.step()) return false;
  }
  db_.prepare("INSERT INTO account_licences (username, licence_no, linked_at, linked_by) VALUES "
              "(?1, ?2, ?3, ?4)")
      .bind(1, a.username)
      .bind(2, licence_no)
      .bind(3, now_utc_iso())
      .bind(4, actor_.who)
      .run();
  append_audit("account.link", "accounts/" + a.username, nullptr,
               Json{{"username", a.username}, {"licence_no", licence_no}});
  return true;
}

bool SqlStore::link_licence(const std::string &username, const std::string &licence_no) {
  Transaction tx(db_);
  auto a = this->account(username);
  if (!a) throw InputError("account", 0, "username", "没有该账户 (no account '" + username + "')");
  const bool made = write_link(*a, licence_no);
  tx.commit();
  return made;
}

bool SqlStore::unlink_licence(const std::string &username, const std::string &licence_no) {
  Transaction tx(db_);
  auto a = this->account(username);
  if (!a) throw InputError("account", 0, "username", "没有该账户 (no account '" + username + "')");
  if (a->role != "holder")
    throw InputError("account", 0, "username",
                     "只有矿业权人账户关联矿业权 ('" + username + "' is a " + a->role +
                         " account, not a holder's)");
  if (std::find(a->licences.begin(), a->licences.end(), licence_no) == a->licences.end())
    return false;
  db_.prepare("DELETE FROM account_licences WHERE username = ?1 AND licence_no = ?2")
      .bind(1, username)
      .bind(2, licence_no)
      .run();
  append_audit("account.unlink", "accounts/" + username,
               Json{{"username", username}, {"licence_no", licence_no}}, nullptr);
  tx.commit();
  return true;
}

void SqlStore::add_session(const SessionRecord &s) {
  Transaction tx(db_);
  // Expired sessions go as new ones arrive; nothing else needs them.
  db_.prepare("DELETE FROM sessions WHERE expires_at < ?1").bind(1, now_utc_iso()).run();
  db_.prepare("INSERT INTO sessions (token_hash, username, csrf, created_at, expires_at) VALUES "
              "(?1, ?2, ?3, ?4, ?5)")
      .bind(1, s.token_hash)
      .bind(2, s.username)
      .bind(3, s.csrf)
      .bind(4, s.created_at.empty() ? now_utc_iso() : s.created_at)
      .bind(5, s.expires_at)
      .run();
  append_audit("login", "accounts/" + s.username, nullptr, Json{{"expires_at", s.expires_at}});
  tx.commit();
}

std::optional<SessionRecord> SqlStore::session(const std::string &token_hash) {
  auto st = db_.prepare("SELECT token_hash, username, csrf, created_at, expires_at FROM sessions "
                        "WHERE token_hash = ?1 AND expires_at > ?2");
  st.bind(1, token_hash).bind(2, now_utc_iso());
  if (!st.step()) return std::nullopt;
  return SessionRecord{st.text(0), st.text(1), st.text(2), st.text(3), st.text(4)};
}

void SqlStore::remove_session(const std::string &token_hash) {
  Transaction tx(db_);
  auto who = db_.prepare("SELECT username FROM sessions WHERE token_hash = ?1");
  who.bind(1, token_hash);
  if (who.step()) {
    std::string username = who.text(0);
    who.reset();
    db_.prepare("DELETE FROM sessions WHERE token_hash = ?1").bind(1, token_hash).run();
    append_audit("logout", "accounts/" + username, nullptr, nullptr);
  }
  tx.commit();
}

std::int64_t SqlStore::add_notice(const Notice &n) {
  Transaction tx(db_);
  db_.prepare(
         "INSERT INTO notices (at, who, jurisdiction, title, body) VALUES (?1, ?2, ?3, ?4, ?5)")
      .bind(1, now_utc_iso())
      .bind(2, actor_.who)
      .bind(3, n.jurisdiction)
      .bind(4, n.title)
      .bind(5, n.body)
      .run();
  std::int64_t id = db_.last_insert_id();
  append_audit("notice.add", "notices/" + std::to_string(id), nullptr,
               Json{{"jurisdiction", n.jurisdiction}, {"title", n.title}, {"body", n.body}});
  tx.commit();
  return id;
}

std::vector<Notice> SqlStore::notices(int limit) {
  std::vector<Notice> out;
  auto st = db_.prepare(
      "SELECT fid, at, who, jurisdiction, title, body FROM notices ORDER BY fid DESC LIMIT ?1");
  st.bind(1, limit);
  while (st.step())
    out.push_back(Notice{st.int64(0), st.text(1), st.text(2), st.text(3), st.text(4), st.text(5)});
  return out;
}

} // namespace mineplan::store::sql

namespace mineplan::store {
namespace {

sql::Connection &connection_of(Store &store) {
  auto *sql = dynamic_cast<sql::SqlStore *>(&store);
  if (!sql) throw Error("the audit log's Merkle tree needs a GeoPackage or PostgreSQL store");
  return sql->connection();
}

} // namespace

std::vector<merkle::Hash> audit_leaf_hashes(Store &store) {
  std::vector<merkle::Hash> out;
  auto st = connection_of(store).prepare(std::string(sql::kAuditColumns) + " ORDER BY fid");
  while (st.step())
    out.push_back(merkle::leaf_hash(sql::audit_leaf(st)));
  return out;
}

void add_audit_head(Store &store, const SignedHead &h) {
  auto &db = connection_of(store);
  sql::Transaction tx(db);
  db.prepare("INSERT INTO audit_heads (log_id, tree_size, root_hash, signed_at, algorithm, "
             "public_key, signature, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
      .bind(1, h.log_id)
      .bind(2, h.tree_size)
      .bind(3, h.root_hash)
      .bind(4, h.timestamp)
      .bind(5, h.algorithm)
      .bind(6, h.public_key)
      .bind(7, h.signature)
      .bind(8, now_utc_iso())
      .run();
  const std::int64_t id = db.last_insert_id();
  // The store's audit() nests in this transaction: the head and its row land together.
  store.audit("audit.head", "audit_heads/" + std::to_string(id), nullptr,
              Json{{"tree_size", h.tree_size},
                   {"root_hash", h.root_hash},
                   {"key_fingerprint", key_fingerprint(h.public_key)}});
  tx.commit();
}

std::vector<SignedHead> audit_heads(Store &store, int limit) {
  std::vector<SignedHead> out;
  auto st = connection_of(store).prepare(
      "SELECT log_id, tree_size, root_hash, signed_at, algorithm, public_key, signature FROM "
      "audit_heads ORDER BY fid DESC LIMIT ?1");
  st.bind(1, limit);
  while (st.step())
    out.push_back(sql::head_row(st));
  return out;
}

} // namespace mineplan::store
