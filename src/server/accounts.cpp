#include "server/accounts.hpp"

#include "core/error.hpp"
#include "io/vocabulary_loader.hpp"

#include <sodium.h>

#include <algorithm>

namespace mineplan::server {
namespace {

void ensure_sodium() {
  static const int ready = sodium_init();
  if (ready < 0) throw Error("libsodium failed to initialise");
}

std::string to_hex(const unsigned char *data, std::size_t n) {
  std::string out(2 * n + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), data, n);
  out.pop_back();
  return out;
}

} // namespace

std::string hash_password(const std::string &password) {
  ensure_sodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw Error("password hashing ran out of memory");
  return out;
}

bool verify_password(const std::string &hash, const std::string &password) {
  ensure_sodium();
  if (hash.size() >= crypto_pwhash_STRBYTES) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string random_token() {
  ensure_sodium();
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  return to_hex(bytes, sizeof bytes);
}

std::string sha256_hex(const std::string &text) {
  ensure_sodium();
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(out, reinterpret_cast<const unsigned char *>(text.data()), text.size());
  return to_hex(out, sizeof out);
}

bool is_role(const std::string &role) {
  return try_parse<Role>(role).has_value();
}

bool is_staff(const std::string &role) {
  return role == "region_staff" || role == "league_staff" || role == "county_staff";
}

// The label in data/vocabulary.json ("roles"); the vocabulary lives as long as the process.
const char *role_chinese(const std::string &role) {
  if (const Term *t = io::vocabulary().find("roles", role)) return t->label.c_str();
  return "公众";
}

void validate_account(const store::Account &a, const std::string &password,
                      const std::vector<Division> &divisions) {
  auto fail = [](const std::string &field, const std::string &msg) {
    throw InputError("account", 0, field, msg);
  };
  if (a.username.empty() || a.username.size() > 64 ||
      !std::all_of(a.username.begin(), a.username.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
      }))
    fail("username", "expected 1–64 characters of a–z, 0–9, '_', '-', '.'");
  if (!is_role(a.role))
    fail("role", "expected region_staff, league_staff, county_staff, reviewer or holder, found '" +
                     a.role + "'");
  const Division *d = nullptr;
  for (const auto &x : divisions)
    if (x.code == a.jurisdiction) d = &x;
  if (!d) fail("jurisdiction", "'" + a.jurisdiction + "' is not a division code of the store");
  if (a.role == "region_staff" && d->level != "region")
    fail("jurisdiction", "region staff belong to the region (150000), not " + d->name);
  if (a.role == "league_staff" && d->level != "league")
    fail("jurisdiction", "league staff belong to a league or city, not " + d->name);
  if (a.role == "county_staff" && d->level != "county")
    fail("jurisdiction", "county staff belong to a county (banner), not " + d->name);
  if (a.role == "holder" && a.holder.empty())
    fail("holder", "a right holder's account names the holder (矿业权人) it acts for");
  if (a.role != "holder" && !a.licences.empty())
    fail("licences",
         "只有矿业权人账户关联矿业权 (licences are linked to a holder's account only, not to " +
             a.role + ")");
  if (password.size() < 10)
    fail("password",
         "expected at least 10 characters (" + std::to_string(password.size()) + " given)");
}

namespace {

// Staff levels: an account makes accounts of a lower level only.
int role_level(const std::string &role) {
  if (role == "region_staff") return 3;
  if (role == "league_staff") return 2;
  if (role == "county_staff") return 1;
  return 0; // reviewer, holder
}

} // namespace

bool may_create(const std::string &creator, const std::string &role) {
  return is_staff(creator) && is_role(role) && role_level(role) < role_level(creator);
}

std::set<std::string> licence_places(const std::string &licence_no,
                                     const std::vector<Right> &rights,
                                     const std::vector<Mine> &mines, const std::string &field) {
  if (licence_no.empty())
    throw InputError("account", 0, field, "许可证号不能为空 (expected a licence number)");
  std::set<std::string> places;
  for (const auto &r : rights)
    if (licence_key(r) == licence_no) places.insert(r.jurisdiction);
  for (const auto &m : mines)
    if (licence_key(m) == licence_no) places.insert(m.jurisdiction);
  if (places.empty())
    throw InputError("account", 0, field,
                     "许可证号 " + licence_no +
                         " 不在矿业权登记中 (no right or mine in the "
                         "register carries licence number '" +
                         licence_no + "')");
  return places;
}

void LoginLimiter::expire(std::deque<std::chrono::steady_clock::time_point> &q,
                          std::chrono::steady_clock::time_point now) const {
  while (!q.empty() && now - q.front() >= window_)
    q.pop_front();
}

int LoginLimiter::retry_after(const std::string &key) {
  std::lock_guard lock(mutex_);
  auto it = failures_.find(key);
  if (it == failures_.end()) return 0;
  auto now = std::chrono::steady_clock::now();
  expire(it->second, now);
  if (static_cast<int>(it->second.size()) < max_) return 0;
  auto wait = std::chrono::duration_cast<std::chrono::seconds>(it->second.front() + window_ - now);
  return std::max<int>(1, static_cast<int>(wait.count()));
}

void LoginLimiter::failed(const std::string &key) {
  std::lock_guard lock(mutex_);
  auto &q = failures_[key];
  auto now = std::chrono::steady_clock::now();
  expire(q, now);
  q.push_back(now);
  if (failures_.size() > 100000) { // bound memory under a spray of names
    for (auto i = failures_.begin(); i != failures_.end();) {
      expire(i->second, now);
      i = i->second.empty() ? failures_.erase(i) : std::next(i);
    }
  }
}

void LoginLimiter::succeeded(const std::string &key) {
  std::lock_guard lock(mutex_);
  failures_.erase(key);
}

} // namespace mineplan::server
