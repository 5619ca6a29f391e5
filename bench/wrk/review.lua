package.path = "bench/wrk/?.lua;" .. package.path
require("review_common")
math.randomseed(3)
request = function() return review_request(false) end
