#pragma once
// The typed error of a store that cannot be used as asked (store/store.hpp, Access). Apart from
// core/error.hpp so that only what opens, writes or answers for a store depends on it.
#include "core/error.hpp"

namespace mineplan {

// A store that cannot be used as asked: not a mineplan store (a foreign GeoPackage, a schema
// without mineplan's tables), a store of a newer mineplan, one that needs `mineplan migrate`
// before a read command can read it, or a read-only store asked to write. An InputError (exit
// 2): the source is the store's location, detail() the message without it (what a server may
// show).
class StoreError : public InputError {
public:
  enum class Kind { not_mineplan, newer_version, needs_migration, read_only };
  StoreError(Kind kind, std::string location, std::string message)
      : InputError(std::move(location), 0, "", std::move(message)), kind_(kind) {}
  Kind kind() const { return kind_; }

  // A write refused by a read-only store.
  static StoreError read_only(std::string location) {
    return StoreError(Kind::read_only, std::move(location),
                      "存储为只读，不能写入（只读介质、无写权限或以只读方式打开）；"
                      "the store is read-only");
  }

private:
  Kind kind_;
};

} // namespace mineplan
