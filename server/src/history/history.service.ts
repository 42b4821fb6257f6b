import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { requireProfile } from '../common/database/profile-guard.js';
import { BadRequestError, NotFoundError, UnprocessableError } from '../common/errors/domain-errors.js';
import type { ConfigChangeMessage } from '../common/events/config-events.js';
import type { ConfigHistoryEntryDto, HistoryQueryDto } from './dto/history.dto.js';
import { ConfigHistoryEntity } from './entities/config-history.entity.js';
import { PROMPT_REGISTRY_DOMAIN } from '../prompt-registry/prompt-registry.service.js';

export const HISTORY_PAGE_SIZE = 100;

interface Cursor {
  timestamp: string;
  id: string;
}

/**
 * Audit entries newest first, paged by a keyset cursor on (timestamp, id): entries written while
 * a client walks the pages land before its cursor, so no entry is seen twice or skipped.
 */
@Injectable()
export class HistoryService {
  constructor(private readonly dataSource: DataSource) {}

  async list(query: HistoryQueryDto, profileId?: number): Promise<{ entries: ConfigHistoryEntryDto[]; next?: string }> {
    const limit = query.limit ?? HISTORY_PAGE_SIZE;
    const { sql, values } = this.listQuery(query, profileId);
    const rows: HistoryRow[] = await this.dataSource.query(sql, values);
    // A deleted profile's entries keep its name but not its id (ON DELETE SET NULL): they are
    // listed by GET /history, and its id answers 404 here. An entry with the id proves the profile
    // exists (a foreign key), so only an empty page asks.
    if (profileId !== undefined && !rows.length) await requireProfile(this.dataSource.manager, profileId);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      entries: page.map(toDto),
      next: rows.length > limit && last ? encodeCursor({ timestamp: last.cursor_time, id: last.id }) : undefined,
    };
  }

  /** The SQL `list` runs (one row more than a page, to know whether another follows); tests EXPLAIN it. */
  listQuery(query: HistoryQueryDto, profileId?: number): { sql: string; values: unknown[] } {
    const where: string[] = [];
    const values: unknown[] = [];
    const add = (condition: string, value: unknown) => {
      values.push(value);
      where.push(condition.replaceAll('?', `$${values.length}`));
    };
    const leading = leadingColumns(profileId !== undefined, query);
    // The index's leading columns are matched by a range of one value: see leadingColumns.
    const equal = (column: string, value: unknown) => (leading.includes(column) ? add(`${column} BETWEEN ? AND ?`, value) : add(`${column} = ?`, value));
    if (profileId !== undefined) equal('profile_id', profileId);
    const domain = query.prompt !== undefined ? PROMPT_REGISTRY_DOMAIN : query.domain;
    if (query.prompt !== undefined && query.domain !== undefined && query.domain !== PROMPT_REGISTRY_DOMAIN) {
      throw new UnprocessableError(`prompt filters the prompt registry's entries; it cannot be combined with domain ${query.domain}.`, [
        { field: 'domain', message: `must be ${PROMPT_REGISTRY_DOMAIN} or absent when prompt is given` },
      ]);
    }
    if (domain) equal('domain', domain);
    if (query.prompt !== undefined) equal('item', query.prompt);
    if (query.action) equal('action', query.action);
    if (query.changed_by) equal('changed_by', query.changed_by);
    if (query.since) add('"timestamp" >= ?', query.since);
    if (query.until) add('"timestamp" < ?', query.until);
    if (query.cursor) {
      const cursor = decodeCursor(query.cursor);
      values.push(cursor.timestamp, cursor.id);
      where.push(`("timestamp", id) < ($${values.length - 1}::timestamptz, $${values.length}::bigint)`);
    }
    values.push((query.limit ?? HISTORY_PAGE_SIZE) + 1);
    const sql = `SELECT id, profile_id, profile_name, domain, action, subject, item, changed_by, changes, "timestamp", request_id,
              to_char("timestamp" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_time
         FROM config_history
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY ${leading.map((column) => `${column}, `).join('')}"timestamp" DESC, id DESC
        LIMIT $${values.length}`;
    return { sql, values };
  }

  async latestId(): Promise<number> {
    const [{ id }] = await this.dataSource.query('SELECT coalesce(max(id), 0)::bigint AS id FROM config_history');
    return Number(id);
  }

  /** Changes after an entry, oldest first, as their notifications announced them (for replays). */
  async changesAfter(afterId: number, profileId: number | undefined, limit: number): Promise<ConfigChangeMessage[]> {
    const rows: { message: ConfigChangeMessage }[] = await this.dataSource.query(
      `SELECT fn_config_history_change(h) AS message FROM config_history h
        WHERE h.id > $1 AND ($2::int IS NULL OR coalesce(h.profile_id, (h.snapshot ->> 'id')::int) = $2)
        ORDER BY h.id LIMIT $3`,
      [afterId, profileId ?? null, limit],
    );
    return rows.map((row) => row.message);
  }

  async findEntry(id: number): Promise<ConfigHistoryEntity> {
    const entry = await this.dataSource.manager.findOneBy(ConfigHistoryEntity, { id: String(id) });
    if (!entry) throw new NotFoundError(`History entry ${id} does not exist.`);
    return entry;
  }
}

/**
 * The filter columns whose index (column…, timestamp DESC, id DESC) must serve the listing. They
 * lead ORDER BY, and are matched as `BETWEEN v AND v` rather than `= v`: an equality would let
 * PostgreSQL drop them from the ordering and walk the time index instead, guessing that matching
 * entries are spread evenly, and a burst of other entries on top (100,000 changes of another
 * domain) makes it read all of them to fill one page. A one-value range keeps the same rows and
 * leaves only the matching index able to give the order.
 */
function leadingColumns(byProfile: boolean, query: HistoryQueryDto): string[] {
  if (byProfile && query.prompt !== undefined) return ['profile_id', 'domain', 'item'];
  if (byProfile) return query.domain ? ['profile_id', 'domain'] : ['profile_id'];
  if (query.prompt !== undefined) return ['domain', 'item'];
  if (query.domain) return ['domain'];
  if (query.changed_by) return ['changed_by'];
  if (query.action) return ['action'];
  return [];
}

/** An entry of the domain registry's own changes holds a registration, not a profile: nothing to restore or compare. */
export function refuseRegistryEntry(entry: ConfigHistoryEntity, verb: string): void {
  if (entry.subject !== 'domain') return;
  throw new UnprocessableError(
    `History entry ${entry.id} records a change to the registration of domain "${entry.domain}", not to a profile: it cannot be ${verb}. Change the domain with PUT /api/config/domains/${entry.domain}.`,
    [{ field: 'entry_id', message: 'is a domain registry entry' }],
  );
}

interface HistoryRow {
  id: string;
  profile_id: number | null;
  profile_name: string;
  domain: ConfigHistoryEntryDto['domain'];
  action: ConfigHistoryEntryDto['action'];
  subject: ConfigHistoryEntryDto['subject'];
  item: string | null;
  changed_by: string;
  changes: ConfigHistoryEntryDto['changes'];
  timestamp: Date;
  request_id: string | null;
  cursor_time: string;
}

function toDto(row: HistoryRow): ConfigHistoryEntryDto {
  return {
    id: Number(row.id),
    profile_id: row.profile_id,
    profile_name: row.profile_name,
    domain: row.domain,
    action: row.action,
    subject: row.subject,
    item: row.item,
    changed_by: row.changed_by,
    changes: row.changes,
    timestamp: row.timestamp.toISOString(),
    request_id: row.request_id,
  };
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(`${cursor.timestamp}|${cursor.id}`).toString('base64url');
}

function decodeCursor(text: string): Cursor {
  const [timestamp, id] = Buffer.from(text, 'base64url').toString('utf8').split('|');
  if (!timestamp || !/^\d+$/.test(id ?? '') || Number.isNaN(Date.parse(timestamp))) {
    throw new BadRequestError('cursor is not one this server gave out; start again without it.', [{ field: 'cursor', message: 'unknown cursor' }]);
  }
  return { timestamp, id };
}
