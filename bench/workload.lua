-- hookhub benchmark workload for wrk 4.x (LuaJIT). Pass it with an ABSOLUTE path: wrk prints "cannot open ..."
-- and silently runs a plain GET load when -s cannot be read (bench/run.sh asserts on the BENCH_DONE line).
--
--   [WRK_RATE=N WRK_THREADS=T] wrk -tT -c64 -d30s --latency -s /abs/bench/workload.lua http://127.0.0.1:PORT \
--       -- TAG [MODE] [OTHER_TAG]
--
--   WRK_RATE   unset = as fast as the hub answers (closed loop); N = pace the run at N requests/s in total, split
--              evenly over the WRK_THREADS wrk threads (each thread sends on a fixed schedule; wrk's latency is then
--              the service time of each request, from the first byte written to the last byte read)
--   TAG        makes every event id of this run unique (ids are TAG-t<thread>-<n>, n = 1, 2, ... per thread)
--   MODE       hub (default): /webhooks/<source>; ceiling: the same requests, all to /ceiling
--   OTHER_TAG  redeliveries re-send events of ANOTHER wrk run with this tag (same thread numbers), instead of this
--              run's own: the scale-out check sends each instance redeliveries of the other instance's events
--
-- Mix per request: 50% AppsFlyer JSON POST (~1.8 KB), 30% adbrix form POST (UTF-8), 20% 050 call form POST in
-- EUC-KR (%-escaped EUC-KR bytes, charset=EUC-KR). Every 20th request (5%) is a redelivery of an earlier event:
-- byte-identical body, same path and headers. Every other request is a new, distinct event.
-- An event is a pure function of (tag, thread, n), so bench/LakeCheck.java can tell which events must be in the lake.

local ffi = require("ffi")
ffi.cdef[[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clk_id, bench_timespec *tp);
]]
local ts = ffi.new("bench_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

-- ---------------------------------------------------------------- main state: one entry per wrk thread
local threads = {}
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("tid", thread_count)
  table.insert(threads, thread)
end

-- ---------------------------------------------------------------- per-thread state
local tag, mode, other_tag = "x", "hub", nil
local interval_ms = 0          -- pacing: ms between two requests of this thread (0 = unpaced)
local next_at = nil
local requests_made = 0        -- request() calls
new_events = 0                 -- distinct events generated (read by done() through thread:get)
redeliveries = 0
by_source = { appsflyer = 0, adbrix = 0, call050 = 0 }
af_new, adbrix_new, call050_new = 0, 0, 0

local RATE = tonumber(os.getenv("WRK_RATE") or "0") or 0
local NTHREADS = tonumber(os.getenv("WRK_THREADS") or "1") or 1

function init(args)
  tag = args[1] or "x"
  mode = args[2] or "hub"
  other_tag = args[3]
  if other_tag == "" then other_tag = nil end
  if RATE > 0 then
    interval_ms = 1000.0 / (RATE / NTHREADS)
  end
  math.randomseed(tid * 7919 + #tag)
end

-- ---------------------------------------------------------------- the three vendors' requests
local AF_HEADERS = {
  ["Content-Type"] = "application/json",
  ["Authorization"] = "af-push-token-EXAMPLE-not-real-0001",
  ["User-Agent"] = "http-kit/2.0",
}
local ADBRIX_HEADERS = {
  ["Content-Type"] = "application/x-www-form-urlencoded; charset=UTF-8",
  ["User-Agent"] = "Java/1.8.0_372",
}
local CALL050_HEADERS = {
  ["Content-Type"] = "application/x-www-form-urlencoded; charset=EUC-KR",
  ["User-Agent"] = "Apache-HttpClient/4.5.13 (Java/1.8.0_202)",
}

local function token(t, n) return t .. "-t" .. tid .. "-" .. n end

local function appsflyer(t, n)
  local tok = token(t, n)
  local body = '{"api_version":"2.0","app_id":"com.example.shop","app_name":"Example Shop","bundle_id":"com.example.shop",'
    .. '"app_version":"5.12.0","platform":"android","os_version":"14","sdk_version":"v6.13.1","device_model":"SM-S918N",'
    .. '"device_type":"SM-S918N","device_category":"phone","carrier":"SKTelecom","operator":"SKTelecom","language":"ko-KR",'
    .. '"country_code":"KR","city":"Seoul","region":"AS","state":"11","postal_code":"04524","dma":"None","ip":"203.0.113.45",'
    .. '"wifi":true,"user_agent":"Dalvik/2.1.0 (Linux; U; Android 14; SM-S918N Build/UP1A.231005.007)",'
    .. '"appsflyer_id":"' .. tok .. '","customer_user_id":"cust_' .. tok .. '",'
    .. '"advertising_id":"3f6c1d2e-0a1b-4c2d-9e8f-000000000001","is_lat":false,"event_name":"af_purchase",'
    .. '"event_time":"2024-05-14 03:21:09.512","event_time_selected_timezone":"2024-05-14 12:21:09.512+0900",'
    .. '"selected_timezone":"Asia/Seoul","event_value":"{\\"af_revenue\\":\\"39000\\",\\"af_currency\\":\\"KRW\\",'
    .. '\\"af_content_id\\":\\"SKU-1001\\",\\"af_quantity\\":\\"1\\",\\"af_order_id\\":\\"ORD-' .. tok .. '\\"}",'
    .. '"event_revenue":"39000","event_revenue_currency":"KRW","event_revenue_usd":"28.63","selected_currency":"KRW",'
    .. '"revenue_in_selected_currency":"39000","event_source":"SDK","install_time":"2024-05-01 09:10:11.000",'
    .. '"install_time_selected_timezone":"2024-05-01 18:10:11.000+0900","attributed_touch_type":"click",'
    .. '"attributed_touch_time":"2024-05-01 09:05:42.000","attributed_touch_time_selected_timezone":"2024-05-01 18:05:42.000+0900",'
    .. '"media_source":"googleadwords_int","campaign":"KR_Spring_Sale_2024","af_c_id":"20001234567","af_adset":"kr_search_brand",'
    .. '"af_adset_id":"150000000001","af_ad_type":"ClickToDownload","af_channel":"ACI_Search","is_retargeting":false,'
    .. '"is_primary_attribution":true,"match_type":"srn","conversion_type":"install","campaign_type":"ua"}'
  return "/webhooks/appsflyer", AF_HEADERS, body
end

local function adbrix(t, n)
  local tok = token(t, n)
  local body = 'appkey=AbCdEfGhIjKlMnOpQrStUv&package_name=com.example.shop&platform=Android&os=Android+14&model=SM-S918N'
    .. '&vendor=samsung&resolution=1080x2340&is_portrait=true&network=wifi&is_wifi_only=false&carrier=SKTelecom&language=ko'
    .. '&country=KR&app_version=5.12.0&sdk_version=2.4.1&installer=com.android.vending&build_id=UP1A.231005.007'
    .. '&adid=3f6c1d2e-0a1b-4c2d-9e8f-000000000001&gaid=3f6c1d2e-0a1b-4c2d-9e8f-000000000001&idfa=&idfv=&ad_id_opt_out=false'
    .. '&event_name=abx%3Apurchase&event_datetime=2024-05-14+03%3A21%3A09&event_datetime_kst=2024-05-14+12%3A21%3A09'
    .. '&event_timestamp=1715656869&event_timestamp_d=1715656869512&a_key=1715560000437%3A902a3631-676a-4d57-a428-000000000001'
    .. '&a_partner=WWEzlPofL0CKBJQQLweyHw&abx%3Aorder_id=' .. tok .. '&abx%3Aorder_sales=39000'
    .. '&param_json=%7B%22abx%3Aorder_id%22%3A%22' .. tok .. '%22%2C%22abx%3Aorder_sales%22%3A39000%2C'
    .. '%22abx%3Adelivery_charge%22%3A0%2C%22abx%3Adiscount%22%3A0%2C%22abx%3Apayment_method%22%3A%22CreditCard%22%2C'
    .. '%22abx%3Aitems%22%3A%5B%7B%22abx%3Aproduct_id%22%3A%22SKU-1001%22%2C%22abx%3Aproduct_name%22%3A%22'
    .. '%EB%B4%84+%EC%8B%A0%EC%83%81+%EC%9B%90%ED%94%BC%EC%8A%A4%22%2C%22abx%3Aprice%22%3A39000%2C%22abx%3Aquantity%22%3A1'
    .. '%2C%22abx%3Acurrency%22%3A%22KRW%22%2C%22abx%3Acategory1%22%3A%22%EC%9D%98%EB%A5%98%22%7D%5D%7D'
  return "/webhooks/adbrix/event", ADBRIX_HEADERS, body
end

local function call050(t, n)
  local tok = token(t, n)
  -- caller_name 홍길동, memo 강남점 견적 문의 (주말 방문 희망), ad_channel 네이버 파워링크, keyword 강남 인테리어 견적: EUC-KR
  local body = 'call_id=' .. tok .. '&client_id=C00417&vn=050712340001&caller=01099990001&callee=0212345678'
    .. '&start_time=20240514153012&answer_time=20240514153019&end_time=20240514153347&ring_sec=7&duration=208'
    .. '&result=ANSWER&result_code=0000'
    .. '&rec_url=https%3A%2F%2Frec.example-050.co.kr%2Fplay%3Fcid%3D' .. tok .. '%26key%3DZm9v%2BYmFy%2F%3D%3D%26fmt%3Dmp3'
    .. '&caller_name=%C8%AB%B1%E6%B5%BF'
    .. '&memo=%B0%AD%B3%B2%C1%A1+%B0%DF%C0%FB+%B9%AE%C0%C7+%28%C1%D6%B8%BB+%B9%E6%B9%AE+%C8%F1%B8%C1%29'
    .. '&ad_channel=%B3%D7%C0%CC%B9%F6+%C6%C4%BF%F6%B8%B5%C5%A9&keyword=%B0%AD%B3%B2+%C0%CE%C5%D7%B8%AE%BE%EE+%B0%DF%C0%FB'
  return "/webhooks/call050/vendor-b", CALL050_HEADERS, body
end

-- event n of run t: n % 10 in 0..4 AppsFlyer, 5..7 adbrix, 8..9 call050 (LakeCheck.java knows the same rule)
local function event(t, n)
  local k = n % 10
  if k < 5 then return "appsflyer", appsflyer(t, n) end
  if k < 8 then return "adbrix", adbrix(t, n) end
  return "call050", call050(t, n)
end

-- Note: wrk calls request() once on the first thread before the run to verify the script and never sends that
-- request, so event 1 of thread 1 is generated but not sent (LakeCheck allows for unsent events; a later
-- "redelivery" of it is its first arrival and is answered accepted).
function request()
  requests_made = requests_made + 1
  local src, path, headers, body
  if requests_made % 20 == 0 and new_events > 0 then
    -- a redelivery: byte-identical to an event sent earlier (well behind the connections still in flight)
    local t, n
    if other_tag then
      -- the other instance's wrk sends its events at about the same pace: take one it sent a while ago
      t, n = other_tag, math.max(1, math.floor(new_events / 2) - math.random(0, 50))
    else
      t, n = tag, math.max(1, new_events - 100 - math.random(0, 400))
    end
    src, path, headers, body = event(t, n)
    redeliveries = redeliveries + 1
  else
    new_events = new_events + 1
    src, path, headers, body = event(tag, new_events)
    by_source[src] = by_source[src] + 1
    af_new, adbrix_new, call050_new = by_source.appsflyer, by_source.adbrix, by_source.call050
  end
  if mode == "ceiling" then path = "/ceiling" end
  return wrk.format("POST", path, headers, body)
end

-- defined only when pacing: wrk routes every request through a timer once a script has delay()
if RATE > 0 then
function delay()
  local now = now_ms()
  if next_at == nil then next_at = now end
  next_at = next_at + interval_ms
  local d = next_at - now
  if d < 0 then return 0 end
  return d
end
end

function done(summary, latency, requests)
  local new, redel, af, ab, cl = 0, 0, 0, 0, 0
  local per_thread = {}
  for _, t in ipairs(threads) do
    local n = t:get("new_events")
    new = new + n
    redel = redel + t:get("redeliveries")
    af = af + t:get("af_new")
    ab = ab + t:get("adbrix_new")
    cl = cl + t:get("call050_new")
    table.insert(per_thread, "t" .. t:get("tid") .. ":" .. n)
  end
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format(
    "BENCH_DONE requests=%d seconds=%.2f rps=%.1f non2xx=%d connect_err=%d read_err=%d write_err=%d timeouts=%d "
      .. "p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f new_events=%d redeliveries=%d appsflyer=%d adbrix=%d call050=%d "
      .. "threads=%s\n",
    summary.requests, secs, summary.requests / secs, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    new, redel, af, ab, cl, table.concat(per_thread, ",")))
end
