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
# A request whose article has reached the store moves from the worker's leases to its unstored
# set (ARGV: the lease): the worker's pages bring no more requests, its store may still lose them.
TO_STORE = """
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score then return 0 end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], score, ARGV[1])
return 1
"""
# The leases and unstored requests of a worker whose alive key has expired go back into the queue
# (at their priority). KEYS: queue, its leases, its unstored, workers, its alive key.
RECLAIM = """
if redis.call('EXISTS', KEYS[5]) == 1 then return -1 end
local n = redis.call('ZCARD', KEYS[2]) + redis.call('ZCARD', KEYS[3])
if n > 0 then redis.call('ZUNIONSTORE', KEYS[1], 3, KEYS[1], KEYS[2], KEYS[3], 'AGGREGATE', 'MIN') end
redis.call('DEL', KEYS[2], KEYS[3])
redis.call('SREM', KEYS[4], ARGV[1])
return n
"""
# A worker joins the site's crawl while it lives (requests queued, a worker alive or holding
# requests: a stopped crawl resumes), or else starts a new one on cleared keys; either way it is
# alive from this step on, so a worker joining a moment later finds the crawl live. ARGV: the new
# crawl's id and start, the worker, the prefix of the workers' alive keys, the seconds an alive key
# lasts, and the prefixes of the workers' request sets.
JOIN = """
local live = false
if redis.call('EXISTS', KEYS[1]) == 1 then
  live = redis.call('ZCARD', KEYS[3]) > 0
  for _, worker in ipairs(redis.call('SMEMBERS', KEYS[2])) do
    if live then break end
    live = redis.call('EXISTS', ARGV[4] .. worker) == 1
    for i = 6, #ARGV do live = live or redis.call('ZCARD', ARGV[i] .. worker) > 0 end
  end
end
if not live then
  for _, worker in ipairs(redis.call('SMEMBERS', KEYS[2])) do
    for i = 6, #ARGV do redis.call('DEL', ARGV[i] .. worker) end
  end
  for i = 1, #KEYS do redis.call('DEL', KEYS[i]) end
  redis.call('HSET', KEYS[1], 'id', ARGV[1], 'started', ARGV[2])
end
redis.call('SADD', KEYS[2], ARGV[3])
redis.call('SET', ARGV[4] .. ARGV[3], redis.call('HGET', KEYS[1], 'id'), 'EX', ARGV[5])
return {live and 0 or 1, redis.call('HGET', KEYS[1], 'id'), redis.call('HGET', KEYS[1], 'started')}
"""
# A worker leaves the crawl, everything it took settled (ARGV: the worker, the reason, its alive
# key and request sets); the last one out of a finished crawl (queue empty, no other worker) ends it.
LEAVE = """
redis.call('SREM', KEYS[2], ARGV[1])
for i = 3, #ARGV do redis.call('DEL', ARGV[i]) end
if ARGV[2] ~= 'finished' or redis.call('SCARD', KEYS[2]) > 0 or redis.call('ZCARD', KEYS[3]) > 0 then
  return 0
end
for i = 1, #KEYS do redis.call('DEL', KEYS[i]) end
return 1
"""
# The leases a worker holds but is not working on, when it has nothing in progress: Redis took
# them out of the queue and the connection broke before the worker heard. Back into the queue.
REQUEUE_UNKNOWN = """
local n = redis.call('ZCARD', KEYS[2])
if n > 0 then redis.call('ZUNIONSTORE', KEYS[1], 2, KEYS[1], KEYS[2], 'AGGREGATE', 'MIN') end
redis.call('DEL', KEYS[2])
return n
"""
