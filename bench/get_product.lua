-- wrk script: GET /v1/products/{random id} with a bearer key.
-- env: SW_KEY (operator key), SW_IDS (file with one product id a line)
local ids = {}
local key = os.getenv("SW_KEY")
for line in io.lines(os.getenv("SW_IDS")) do ids[#ids + 1] = line end
math.randomseed(os.time())
request = function()
  local id = ids[math.random(#ids)]
  return wrk.format("GET", "/v1/products/" .. id, {["Authorization"] = "Bearer " .. key})
end
