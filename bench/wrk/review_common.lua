-- POST /api/reviews: a 2 km square mining application for 煤炭 at a random place in Inner
-- Mongolia, signed in (cookie and CSRF token from the environment).
local cookie = os.getenv("MINEPLAN_COOKIE")
local csrf = os.getenv("MINEPLAN_CSRF")
function review_request(record)
  local lon = 106 + math.random() * 14
  local lat = 39 + math.random() * 6
  local d = 0.02
  local ring = string.format("[[%f,%f],[%f,%f],[%f,%f],[%f,%f],[%f,%f]]", lon, lat, lon + d, lat,
    lon + d, lat + d, lon, lat + d, lon, lat)
  local body = string.format([[{"record": %s, "application": {"kind": "mining", "action": "new",
    "jurisdiction": "150621", "date": "2023-06-01",
    "applicant": {"name": "测试煤业有限公司", "type": "company"}, "minerals": ["煤炭"],
    "scale": {"value": 120, "unit": "万吨/年"}, "method": "underground", "service_years": 20,
    "boundary": {"type": "Polygon", "coordinates": [%s]}}}]], record and "true" or "false", ring)
  return wrk.format("POST", "/api/reviews", {
    ["Content-Type"] = "application/json", ["Cookie"] = cookie, ["X-CSRF-Token"] = csrf }, body)
end
