-- Random tiles over Inner Mongolia (lon 97–126, lat 37–53) at zooms [zmin, zmax], alternating
-- the zones and rights layers. Deterministic: a fixed seed per wrk thread.
local layers = {"zones", "rights"}
local function tile_of(lon, lat, z)
  local n = 2 ^ z
  local x = math.floor((lon + 180) / 360 * n)
  local r = math.rad(lat)
  local y = math.floor((1 - math.log(math.tan(r) + 1 / math.cos(r)) / math.pi) / 2 * n)
  return x, y
end
function make_request(zmin, zmax)
  local lon = 97 + math.random() * 29
  local lat = 37 + math.random() * 16
  local z = math.random(zmin, zmax)
  local x, y = tile_of(lon, lat, z)
  local layer = layers[math.random(1, 2)]
  return wrk.format("GET", string.format("/tiles/%s/%d/%d/%d.mvt", layer, z, x, y))
end
