-- wrk script: each connection waits WRK_DELAY_MS between requests, so c
-- connections send about c * 1000 / WRK_DELAY_MS requests/s (a closed loop
-- with think time; wrk2's open loop is not packaged for Debian).
local pause = tonumber(os.getenv("WRK_DELAY_MS"))

delay = function()
  return pause
end
