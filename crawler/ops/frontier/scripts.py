"""The Redis scripts of the shared frontier, each run atomically on the server: what must not be
cut in half by a worker's death or another worker's step."""

# A request moves from the queue to the worker's leases in one step: no kill can fall in between.
LEASE = """
local popped = redis.call('ZPOPMIN', KEYS[1])
if #popped == 0 then return false end
redis.call('ZADD', KEYS[2], popped[2], popped[1])
return popped[1]
"""
# scrapy-redis's dupefilter check and queue push, as one step: a kill between them would leave a
# URL seen and never queued.
PUSH_UNSEEN = """
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
return 1
"""
# The leases of a worker whose alive key has expired go back into the queue (at their priority).
RECLAIM = """
if redis.call('EXISTS', KEYS[4]) == 1 then return -1 end
local n = redis.call('ZCARD', KEYS[2])
if n > 0 then redis.call('ZUNIONSTORE', KEYS[1], 2, KEYS[1], KEYS[2], 'AGGREGATE', 'MIN') end
redis.call('DEL', KEYS[2])
redis.call('SREM', KEYS[3], ARGV[1])
return n
"""
# A worker joins the site's crawl while it lives (requests queued, a worker alive or holding
# leases: a stopped crawl resumes), or else starts a new one on cleared keys.
JOIN = """
local live = false
if redis.call('EXISTS', KEYS[1]) == 1 then
  live = redis.call('ZCARD', KEYS[3]) > 0
  for _, worker in ipairs(redis.call('SMEMBERS', KEYS[2])) do
    if live then break end
    live = redis.call('EXISTS', ARGV[5] .. worker) == 1 or redis.call('ZCARD', ARGV[4] .. worker) > 0
  end
end
if not live then
  for _, worker in ipairs(redis.call('SMEMBERS', KEYS[2])) do redis.call('DEL', ARGV[4] .. worker) end
  for i = 2, #KEYS do redis.call('DEL', KEYS[i]) end
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[1], 'id', ARGV[1], 'started', ARGV[2])
end
redis.call('SADD', KEYS[2], ARGV[3])
return {live and 0 or 1, redis.call('HGET', KEYS[1], 'id'), redis.call('HGET', KEYS[1], 'started')}
"""
# A worker leaves the crawl, its leases settled; the last one out of a finished crawl (queue empty,
# no other worker, so no leases) ends it.
LEAVE = """
redis.call('SREM', KEYS[2], ARGV[1])
redis.call('DEL', ARGV[2] .. ARGV[1], ARGV[4] .. ARGV[1])
if ARGV[3] ~= 'finished' or redis.call('SCARD', KEYS[2]) > 0 or redis.call('ZCARD', KEYS[3]) > 0 then
  return 0
end
for i = 1, #KEYS do redis.call('DEL', KEYS[i]) end
return 1
"""
# A worker's leases that it is not working on (Redis took the request out of the queue, and the
# connection broke before the worker heard of it) go back into the queue; ARGV: the leases it keeps.
REQUEUE_UNKNOWN = """
local keep = {}
for i = 1, #ARGV do keep[ARGV[i]] = true end
local n = 0
local leased = redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')
for i = 1, #leased, 2 do
  if not keep[leased[i]] then
    redis.call('ZADD', KEYS[1], leased[i + 1], leased[i])
    redis.call('ZREM', KEYS[2], leased[i])
    n = n + 1
  end
end
return n
"""
