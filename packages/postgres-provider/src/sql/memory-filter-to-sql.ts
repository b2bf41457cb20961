import { sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { JsonValue, MemoryFilter, MemoryFilterCondition } from '@memgate/core';
import { memories } from '../schema/memories.js';

const scopeColumn = { userId: memories.userId, agentId: memories.agentId, appId: memories.appId, runId: memories.runId } as const;
const timeColumn = { createdAt: memories.createdAt, updatedAt: memories.updatedAt } as const;
const comparison = { gt: sql.raw('>'), gte: sql.raw('>='), lt: sql.raw('<'), lte: sql.raw('<=') } as const;

/**
 * Translates core's filter tree into a SQL condition that agrees with `matchesMemoryFilter`
 * row for row. A condition on a missing value is NULL, which WHERE, AND and OR already treat as
 * false; only NOT would differ (NOT NULL is NULL), so NOT is `is not true`, which maps NULL to
 * true as JavaScript's `!false` does. Conditions stay bare so their indexes can be used.
 */
export function memoryFilterToSql(filter: MemoryFilter): SQL {
  switch (filter.type) {
    case 'and':
      return filter.filters.length === 0 ? sql`true` : sql`(${sql.join(filter.filters.map(memoryFilterToSql), sql` and `)})`;
    case 'or':
      return filter.filters.length === 0 ? sql`false` : sql`(${sql.join(filter.filters.map(memoryFilterToSql), sql` or `)})`;
    case 'not':
      return sql`((${memoryFilterToSql(filter.filter)}) is not true)`;
    case 'condition':
      return conditionToSql(filter);
  }
}

function conditionToSql(condition: MemoryFilterCondition): SQL {
  const { field, operator, value } = condition;
  switch (field.kind) {
    case 'scope':
      return columnCondition(scopeColumn[field.name], operator, value, sql``);
    case 'id':
      return columnCondition(memories.id, operator, value, sql``);
    case 'time':
      return columnCondition(timeColumn[field.name], operator, value, sql`::timestamptz`);
    case 'text':
      return textCondition(sql`${memories.memory}`, operator, value as string);
    case 'metadata':
      return metadataCondition(sql`(${memories.metadata} -> ${field.key}::text)`, operator, value);
  }
}

/** Scope, id and time columns: plain SQL values, NULL when absent. */
function columnCondition(column: AnyColumn, operator: MemoryFilterCondition['operator'], value: JsonValue, cast: SQL): SQL {
  const left = sql`${column}`;
  switch (operator) {
    case 'exists':
      return sql`${left} is not null`;
    case 'eq':
      return sql`${left} = ${value}${cast}`;
    case 'ne':
      return sql`${left} is distinct from ${value}${cast}`;
    case 'in':
      return sql`${left} in (${sql.join((value as JsonValue[]).map((item) => sql`${item}${cast}`), sql`, `)})`;
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return sql`${left} ${comparison[operator]} ${value}${cast}`;
    default:
      return textCondition(left, operator, value as string);
  }
}

function textCondition(left: SQL, operator: MemoryFilterCondition['operator'], value: string): SQL {
  switch (operator) {
    case 'eq':
      return sql`${left} = ${value}::text`;
    case 'ne':
      return sql`${left} is distinct from ${value}::text`;
    case 'contains':
      return sql`strpos(${left}, ${value}::text) > 0`;
    case 'icontains':
      return sql`strpos(lower(${left}), lower(${value}::text)) > 0`;
    default:
      return sql`false`;
  }
}

/**
 * One metadata key, as jsonb (SQL NULL when the key is missing). JSON null counts as missing,
 * as in `matchesMemoryFilter`. CASE guards every cast, since PostgreSQL may evaluate AND in any order.
 */
function metadataCondition(value: SQL, operator: MemoryFilterCondition['operator'], operand: JsonValue): SQL {
  const json = (item: JsonValue): SQL => sql`${JSON.stringify(item)}::jsonb`;
  const present = sql`(${value} is not null and jsonb_typeof(${value}) <> 'null')`;
  const asText = sql`(${value} #>> '{}')`;
  switch (operator) {
    case 'exists':
      return present;
    case 'eq':
      return sql`(${present} and ${value} = ${json(operand)})`;
    case 'ne':
      return sql`case when ${present} then ${value} <> ${json(operand)} else ${sql.raw(operand === null ? 'false' : 'true')} end`;
    case 'in':
      return sql`(${present} and ${value} in (${sql.join((operand as JsonValue[]).map(json), sql`, `)}))`;
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return typeof operand === 'number'
        ? sql`case when jsonb_typeof(${value}) = 'number' then (${value})::numeric ${comparison[operator]} ${operand}::numeric else false end`
        : sql`case when jsonb_typeof(${value}) = 'string' then ${asText} collate "C" ${comparison[operator]} ${operand as string}::text collate "C" else false end`;
    case 'contains':
      return sql`case jsonb_typeof(${value})
        when 'string' then ${typeof operand === 'string' ? sql`strpos(${asText}, ${operand}::text) > 0` : sql`false`}
        when 'array' then exists (select 1 from jsonb_array_elements(${value}) as element(item) where element.item = ${json(operand)})
        else false end`;
    case 'icontains':
      return sql`case when jsonb_typeof(${value}) = 'string' then strpos(lower(${asText}), lower(${operand as string}::text)) > 0 else false end`;
  }
}
