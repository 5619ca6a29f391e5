#pragma once
// Minimal argument parsing shared by the sub-commands: positionals, --flags and --key value.
#include "cli/commands.hpp"
#include "core/error.hpp"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace mineplan::cli {

class Options {
public:
  // `flags` take no value; `keys` take one. Anything else starting with -- is an error.
  Options(const Args &args, std::string usage, std::set<std::string> flags,
          std::set<std::string> keys = {})
      : usage_(std::move(usage)) {
    for (std::size_t i = 0; i < args.size(); ++i) {
      const std::string &a = args[i];
      if (a.starts_with("--")) {
        std::string name = a.substr(2);
        if (flags.count(name)) {
          flags_.insert(name);
        } else if (keys.count(name)) {
          if (i + 1 >= args.size()) fail("--" + name + " needs a value");
          values_[name] = args[++i];
          all_values_[name].push_back(values_[name]);
        } else {
          fail("unknown option " + a);
        }
      } else {
        positionals_.push_back(a);
      }
    }
  }

  [[noreturn]] void fail(const std::string &msg) const {
    throw UsageError(msg + "\nusage: " + usage_);
  }
  const std::string &positional(std::size_t i, const char *what) const {
    if (i >= positionals_.size()) fail(std::string("missing ") + what);
    return positionals_[i];
  }
  void expect_positionals(std::size_t n) const {
    if (positionals_.size() > n) fail("unexpected argument '" + positionals_[n] + "'");
  }
  bool flag(const std::string &name) const { return flags_.count(name) > 0; }
  std::optional<std::string> value(const std::string &name) const {
    auto it = values_.find(name);
    if (it == values_.end()) return std::nullopt;
    return it->second;
  }
  // Every value of a key given more than once (--licence A --licence B), in order.
  std::vector<std::string> values(const std::string &name) const {
    auto it = all_values_.find(name);
    return it == all_values_.end() ? std::vector<std::string>{} : it->second;
  }

  struct UsageError : Error {
    using Error::Error;
  };

private:
  std::string usage_;
  std::vector<std::string> positionals_;
  std::set<std::string> flags_;
  std::map<std::string, std::string> values_;
  std::map<std::string, std::vector<std::string>> all_values_;
};

} // namespace mineplan::cli
