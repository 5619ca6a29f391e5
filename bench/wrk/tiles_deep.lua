package.path = "bench/wrk/?.lua;" .. package.path
require("tiles_common")
math.randomseed(10)
request = function() return make_request(10, 12) end
