package.path = "bench/wrk/?.lua;" .. package.path
require("review_common")
math.randomseed(4)
request = function() return review_request(true) end
