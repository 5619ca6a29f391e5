package.path = "bench/wrk/?.lua;" .. package.path
require("tiles_common")
math.randomseed(6)
request = function() return make_request(6, 8) end
