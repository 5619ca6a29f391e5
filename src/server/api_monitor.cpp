// Implementation monitoring over HTTP: a plan's indicators as of a date (the JSON of
// `mineplan indicators --json`) and its evaluation report (the HTML of `mineplan report`).
#include "core/clock.hpp"
#include "core/error.hpp"
#include "monitor/indicators.hpp"
#include "monitor/report.hpp"
#include "server/app_impl.hpp"

#include <filesystem>

namespace mineplan::server {

namespace http = boost::beast::http;

Response api_indicators(App::Impl &, Context &c, const std::string &plan_id) {
  auto pd = c.store.plan(plan_id);
  if (!pd) throw HttpError{404, "no plan '" + plan_id + "'", ""};
  std::string as_of = query_or(c, "as_of", today_iso());
  check_date(as_of, "as_of");
  monitor::Register reg(c.store);
  return json_response(monitor::to_json(monitor::compute_indicators(reg, *pd, as_of)));
}

Response api_report(App::Impl &, Context &c, const std::string &plan_id) {
  auto pd = c.store.plan(plan_id);
  if (!pd) throw HttpError{404, "no plan '" + plan_id + "'", ""};
  monitor::ReportOptions o;
  o.kind = query_or(c, "kind", "annual");
  if (o.kind != "annual" && o.kind != "midterm" && o.kind != "final")
    throw HttpError{400, "expected annual | midterm | final, found '" + o.kind + "'", "kind"};
  std::string year = query_or(c, "year", today_iso().substr(0, 4));
  if (year.size() != 4 || year.find_first_not_of("0123456789") != std::string::npos)
    throw HttpError{400, "expected a year, found '" + year + "'", "year"};
  o.year = std::stoi(year);
  if (o.year < 1990 || o.year > 2100)
    throw HttpError{400, "expected a year between 1990 and 2100", "year"};
  o.generated_at = now_utc_iso();
  o.store_location = std::filesystem::path(c.store.location()).filename().string();
  monitor::Register reg(c.store);
  Response res{http::status::ok, 11};
  res.set(http::field::content_type, "text/html; charset=utf-8");
  res.set(http::field::cache_control, "no-store");
  res.body() = monitor::render_report(reg, *pd, o);
  res.prepare_payload();
  return res;
}

} // namespace mineplan::server
