import type { Redis } from 'ioredis';

// The writes are Lua scripts so that each one is atomic: a batch is stored all or none, a
// concurrent reader never sees a memory without its index entries, and parallel updates of one
// memory never tear its text from its metadata. Keys are built inside the scripts from the prefix
// (see redis-keys.ts), which ties them to a standalone server or a single-slot setup: Redis
// Cluster would need every key in KEYS.

const scopeHelpers = `
local scopeNames = {'userId', 'agentId', 'appId', 'runId'}
local function scopeJson(values, offset)
  local out = ''
  for s = 1, 4 do
    local value = values[offset + s]
    if value then out = out .. ',"' .. scopeNames[s] .. '":' .. cjson.encode(value) end
  end
  return out
end
`;

/**
 * ARGV: prefix, count, then per record: id, memory, userId, agentId, appId, runId ('' when unset),
 * metadata JSON, createdAt, createdAt in epoch ms, ADD history event JSON.
 * Returns {0, index} when record `index` conflicts with a stored memory (nothing written), else
 * {1, r1, r2, ...} with 0 for a stored record and the stored hash for an idempotent re-add.
 */
const addScript = `${scopeHelpers}
local prefix = ARGV[1]
local count = tonumber(ARGV[2])
local width = 10
local reply = {1}
for i = 0, count - 1 do
  local base = 2 + i * width
  local key = prefix .. 'm:' .. ARGV[base + 1]
  local stored = redis.call('HMGET', key, 'memory', 'userId', 'agentId', 'appId', 'runId')
  if stored[1] then
    if stored[1] ~= ARGV[base + 2] then return {0, i} end
    for s = 1, 4 do
      if (stored[s + 1] or '') ~= ARGV[base + 2 + s] then return {0, i} end
    end
    reply[i + 2] = redis.call('HGETALL', key)
  else
    reply[i + 2] = 0
  end
end
for i = 0, count - 1 do
  if reply[i + 2] == 0 then
    local base = 2 + i * width
    local id = ARGV[base + 1]
    local fields = {'memory', ARGV[base + 2], 'metadata', ARGV[base + 7], 'createdAt', ARGV[base + 8], 'updatedAt', ARGV[base + 8]}
    for s = 1, 4 do
      local value = ARGV[base + 2 + s]
      if value ~= '' then
        fields[#fields + 1] = scopeNames[s]
        fields[#fields + 1] = value
        redis.call('ZADD', prefix .. 's:' .. scopeNames[s] .. ':' .. value, ARGV[base + 9], id)
        redis.call('ZADD', prefix .. 'u:' .. scopeNames[s] .. ':' .. value, ARGV[base + 9], id)
        redis.call('SADD', prefix .. 'e:' .. scopeNames[s], value)
      end
    end
    redis.call('HSET', prefix .. 'm:' .. id, unpack(fields))
    redis.call('ZADD', prefix .. 'all', ARGV[base + 9], id)
    redis.call('RPUSH', prefix .. 'h:' .. id, ARGV[base + 10])
  end
end
return reply
`;

/**
 * ARGV: prefix, id, '1' if the text changes, text, '1' if the metadata changes, metadata JSON,
 * updatedAt, history event id, updatedAt in epoch ms. Returns the updated hash, or nil when there is
 * no such memory.
 */
const updateScript = `${scopeHelpers}
local prefix, id = ARGV[1], ARGV[2]
local key = prefix .. 'm:' .. id
local current = redis.call('HMGET', key, 'memory', 'userId', 'agentId', 'appId', 'runId')
if not current[1] then return false end
local fields = {'updatedAt', ARGV[7]}
local newMemory = current[1]
if ARGV[3] == '1' then
  newMemory = ARGV[4]
  fields[#fields + 1] = 'memory'
  fields[#fields + 1] = ARGV[4]
end
if ARGV[5] == '1' then
  fields[#fields + 1] = 'metadata'
  fields[#fields + 1] = ARGV[6]
end
redis.call('HSET', key, unpack(fields))
for s = 1, 4 do
  if current[s + 1] then redis.call('ZADD', prefix .. 'u:' .. scopeNames[s] .. ':' .. current[s + 1], ARGV[9], id) end
end
redis.call('RPUSH', prefix .. 'h:' .. id, '{"id":' .. cjson.encode(ARGV[8]) .. ',"memoryId":' .. cjson.encode(id) .. scopeJson(current, 1)
  .. ',"event":"UPDATE","oldMemory":' .. cjson.encode(current[1]) .. ',"newMemory":' .. cjson.encode(newMemory)
  .. ',"createdAt":' .. cjson.encode(ARGV[7]) .. '}')
return redis.call('HGETALL', key)
`;

/**
 * ARGV: prefix, deletedAt, then pairs of (id, history event id). Deletes each memory that exists,
 * with its index entries (an entity whose last memory goes leaves the entity index), and records a
 * DELETE. Returns how many it deleted.
 */
const deleteScript = `${scopeHelpers}
local prefix, at = ARGV[1], ARGV[2]
local deleted = 0
for i = 3, #ARGV, 2 do
  local id = ARGV[i]
  local key = prefix .. 'm:' .. id
  local current = redis.call('HMGET', key, 'memory', 'userId', 'agentId', 'appId', 'runId')
  if current[1] then
    for s = 1, 4 do
      local value = current[s + 1]
      if value then
        local scopeKey = prefix .. 's:' .. scopeNames[s] .. ':' .. value
        redis.call('ZREM', scopeKey, id)
        redis.call('ZREM', prefix .. 'u:' .. scopeNames[s] .. ':' .. value, id)
        if redis.call('ZCARD', scopeKey) == 0 then redis.call('SREM', prefix .. 'e:' .. scopeNames[s], value) end
      end
    end
    redis.call('ZREM', prefix .. 'all', id)
    redis.call('DEL', key)
    redis.call('RPUSH', prefix .. 'h:' .. id, '{"id":' .. cjson.encode(ARGV[i + 1]) .. ',"memoryId":' .. cjson.encode(id) .. scopeJson(current, 1)
      .. ',"event":"DELETE","oldMemory":' .. cjson.encode(current[1]) .. ',"newMemory":null,"createdAt":' .. cjson.encode(at) .. '}')
    deleted = deleted + 1
  end
end
return deleted
`;

/**
 * ARGV: prefix, then triples of (id, updatedAt, updatedAt in epoch ms) as read just before. Puts each
 * memory that still exists into the entity index (`e:`), and into `u:` if it was not updated since
 * (an update since then has written `u:` itself). Lua cannot parse the ISO time, hence the ms.
 */
const indexEntitiesScript = `${scopeHelpers}
local prefix = ARGV[1]
for i = 2, #ARGV, 3 do
  local id = ARGV[i]
  local current = redis.call('HMGET', prefix .. 'm:' .. id, 'updatedAt', 'userId', 'agentId', 'appId', 'runId')
  if current[1] then
    for s = 1, 4 do
      local value = current[s + 1]
      if value then
        redis.call('SADD', prefix .. 'e:' .. scopeNames[s], value)
        if current[1] == ARGV[i + 1] then redis.call('ZADD', prefix .. 'u:' .. scopeNames[s] .. ':' .. value, ARGV[i + 2], id) end
      end
    end
  end
end
return 1
`;

/**
 * ARGV: prefix, scope field, then values of that field. Returns, per value, its memory count, the
 * smallest `createdAt` score and the largest `updatedAt` score (false where an index is empty): the
 * entity listing's reads, done in the server rather than as three commands per entity from the client.
 */
const entityStatsScript = `
local prefix, field = ARGV[1], ARGV[2]
local reply = {}
for i = 3, #ARGV do
  local scopeKey = prefix .. 's:' .. field .. ':' .. ARGV[i]
  local first = redis.call('ZRANGE', scopeKey, 0, 0, 'WITHSCORES')
  local last = redis.call('ZRANGE', prefix .. 'u:' .. field .. ':' .. ARGV[i], -1, -1, 'WITHSCORES')
  reply[#reply + 1] = redis.call('ZCARD', scopeKey)
  reply[#reply + 1] = first[2] or false
  reply[#reply + 1] = last[2] or false
end
return reply
`;

/** The reply of the add script: see its comment. */
export type RedisAddReply = [0, number] | [1, ...(0 | string[])[]];

/** The provider's Lua scripts, bound to one client (sent once, then run by SHA). */
export interface RedisScripts {
  add(args: readonly string[]): Promise<RedisAddReply>;
  update(args: readonly string[]): Promise<string[] | null>;
  deleteMany(args: readonly string[]): Promise<number>;
  indexEntities(args: readonly string[]): Promise<number>;
  entityStats(args: readonly string[]): Promise<(number | string | null)[]>;
}

type ScriptCommand = (...args: string[]) => Promise<unknown>;

/** Registers the scripts on a client (idempotent) and returns typed callers. */
export function redisScripts(client: Redis): RedisScripts {
  const commands = client as unknown as Record<string, ScriptCommand | undefined>;
  const define = (name: string, lua: string): ScriptCommand => {
    if (commands[name] === undefined) client.defineCommand(name, { numberOfKeys: 0, lua });
    return (...args) => commands[name]!.call(client, ...args);
  };
  const add = define('memgateAddMemories', addScript);
  const update = define('memgateUpdateMemory', updateScript);
  const deleteMany = define('memgateDeleteMemories', deleteScript);
  const indexEntities = define('memgateIndexEntities', indexEntitiesScript);
  const entityStats = define('memgateEntityStats', entityStatsScript);
  return {
    add: (args) => add(...args) as Promise<RedisAddReply>,
    update: (args) => update(...args) as Promise<string[] | null>,
    deleteMany: (args) => deleteMany(...args) as Promise<number>,
    indexEntities: (args) => indexEntities(...args) as Promise<number>,
    entityStats: (args) => entityStats(...args) as Promise<(number | string | null)[]>,
  };
}
