#pragma once
// The stable JSON form of the domain values (CLI --json output, API, export attributes).
#include "core/model.hpp"

namespace mineplan {

Json to_json(const Citation &c);
Json to_json(const Quantity &q);
Json to_json(const TargetValue &v);
Json to_json(const Division &d);
Json to_json(const Mineral &m);
Json to_json(const Plan &p);
Json to_json(const Zone &z); // without geometry
Json to_json(const Target &t);
Json to_json(const Rule &r);
Json to_json(const SeedTable &t);
Json to_json(const Statistic &s);
Json to_json(const Right &r); // without geometry
Json to_json(const Mine &m);  // without geometry

// Canonical text of a value's content, for change detection between versions.
std::string content_fingerprint(const Json &j);

} // namespace mineplan
