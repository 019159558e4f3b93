// Lua scripts run atomically in Redis: the version check and the write cannot be split by another
// client. A record is a hash { v: value, ver: version } with the record's TTL; every change is
// published on the events channel from inside the same script.

/** KEYS[1] record → { value, version, pttl } or nil. */
export const GET = `
local v = redis.call('HMGET', KEYS[1], 'v', 'ver')
if not v[1] or not v[2] then return false end
return { v[1], v[2], redis.call('PTTL', KEYS[1]) }`;

/**
 * KEYS[1] record; ARGV: mode ('any' | 'absent' | 'version'), expected version, value, new version,
 * ttl ms or '', events channel, event message → { 1, version } or { 0, current version | nil }.
 */
export const SET = `
local cur = redis.call('HGET', KEYS[1], 'ver')
if (ARGV[1] == 'absent' and cur) or (ARGV[1] == 'version' and cur ~= ARGV[2]) then
  return { 0, cur }
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'v', ARGV[3], 'ver', ARGV[4])
if ARGV[5] ~= '' then redis.call('PEXPIRE', KEYS[1], ARGV[5]) end
redis.call('PUBLISH', ARGV[6], ARGV[7])
return { 1, ARGV[4] }`;

/** KEYS[1] record; ARGV: mode ('any' | 'version'), expected version, channel, message → { 1 } or { 0, current | nil }. */
export const DELETE = `
local cur = redis.call('HGET', KEYS[1], 'ver')
if ARGV[1] == 'version' and cur ~= ARGV[2] then return { 0, cur } end
if cur then
  redis.call('DEL', KEYS[1])
  redis.call('PUBLISH', ARGV[3], ARGV[4])
end
return { 1 }`;

/** KEYS[1] lock; ARGV[1] token → 1 when this token held the lock and it was deleted, else 0. */
export const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;
