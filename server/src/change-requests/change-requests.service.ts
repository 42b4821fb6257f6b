import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { isDeepStrictEqual } from 'node:util';
import { DataSource, type EntityManager } from 'typeorm';
import { lockProfile, requireProfile } from '../common/database/profile-guard.js';
import { ConflictError, ForbiddenError, NotFoundError, PreconditionFailedError, UnprocessableError, withFieldPrefix } from '../common/errors/domain-errors.js';
import { ConfigChangedEvent, type FieldChanges, emitConfigChanged } from '../common/events/config-events.js';
import { assertMayChangeProfile } from '../common/http/profile-permission.js';
import { currentPrincipal, runWithRequestId } from '../common/http/request-context.js';
import { DomainValuesService } from '../domains/domain-values.service.js';
import { checkedGenieSet, genieSpaceChanges, type GenieSpaceValues, normaliseGenieSpaces, patchGenieSpaces } from '../genie/genie-space-diff.js';
import type { ProfileDocumentDto } from '../profiles/dto/profile-document.dto.js';
import type { ProfileDetailDto } from '../profiles/dto/profile-responses.dto.js';
import { ProfileDocumentsService } from '../profiles/profile-documents.service.js';
import { ProfilesService } from '../profiles/profiles.service.js';
import type { ScheduledValuesDto } from '../schedules/dto/schedule.dto.js';
import { ApprovalRequiredError, NothingToApproveError } from './change-request.errors.js';
import type { ApprovalRuleDto, ChangeRequestDto, ListChangeRequestsQueryDto } from './dto/change-request.dto.js';
import { ApprovalRuleEntity } from './entities/approval-rule.entity.js';
import { ChangeRequestEntity, type ChangeRequestStatus } from './entities/change-request.entity.js';

/** History entries of turning approval on or off carry this domain. */
export const APPROVAL_DOMAIN = 'approval';

/** The built-in one-row domains whose fields a change request proposes. */
export const BUILT_IN = ['ai_infra', 'mlflow', 'prompts'] as const;
type BuiltIn = (typeof BUILT_IN)[number];

/** What proposed values were made against: domains' versions, and the Genie spaces as they were. */
export interface ProposalBase {
  versions?: Record<string, number>;
  genie_spaces?: GenieSpaceValues[];
}

/**
 * Change requests: proposed values for a profile that requires approval, with the diff and the
 * versions they were made against; another editor (never the author) approves them, which
 * applies them as the author's change if nothing they touch moved meanwhile (else 412), or
 * rejects them with a comment. Whether a profile requires approval is an admin's audited choice.
 * Genie spaces have no version of their own: their diff, space by space and field by field, is
 * what approval checks (each `old` still so) and applies, leaving spaces it does not name alone.
 */
@Injectable()
export class ChangeRequestsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventEmitter2,
    private readonly profiles: ProfilesService,
    private readonly documents: ProfileDocumentsService,
    private readonly domainValues: DomainValuesService,
  ) {}

  /**
   * `read`: what the author's values were made against (the PUT's row before it, the Genie spaces
   * before the write, or `base_versions` given): 412 when it has moved, so that an approval never
   * overwrites a change the author did not see.
   */
  async propose(profileId: number, values: ScheduledValuesDto, message: string | undefined, actor: string, read: ProposalBase = {}): Promise<ChangeRequestDto> {
    const genieSpaces = values.genie_spaces && (await withFieldPrefix('values.genie_spaces.', async () => checkedGenieSet(values.genie_spaces!)));
    if (values.domains) await this.domainValues.assertStorable(values.domains, 'values.domains');
    return this.dataSource.transaction(async (manager) => {
      // Proposing takes the editor role on the profile, as changing it would: a write stopped by
      // ApprovalGate was checked by PermissionGate too, but that depends on their order.
      assertMayChangeProfile(profileId, await requireProfile(manager, profileId));
      const detail = await this.profiles.get(profileId, manager);
      for (const [domain, version] of Object.entries(read.versions ?? {})) {
        const now = currentVersion(detail, domain);
        if (now !== version) throw new PreconditionFailedError(`Profile "${detail.name}" changed meanwhile (${domain} version ${version}, now ${now}): read it again and propose on that.`);
      }
      if (read.genie_spaces && Object.keys(genieSpaceChanges(read.genie_spaces, normaliseGenieSpaces(detail.genie_spaces))).length) {
        throw new PreconditionFailedError(`Profile "${detail.name}" changed meanwhile (its Genie spaces): read them again and propose on that.`);
      }
      const { changes, baseVersions, proposed } = diffAgainst(detail, { ...values, genie_spaces: genieSpaces });
      if (!Object.keys(changes).length) throw new NothingToApproveError();
      const row = await manager.save(
        manager.create(ChangeRequestEntity, { profileId, values: proposed, baseVersions, changes, message: message ?? null, createdBy: actor }),
      );
      return toDto(row, detail.name);
    });
  }

  async list(query: ListChangeRequestsQueryDto): Promise<ChangeRequestDto[]> {
    const rows = await this.dataSource.manager
      .createQueryBuilder(ChangeRequestEntity, 'r')
      .innerJoin('config_profiles', 'p', 'p.id = r.profile_id')
      .addSelect('p.name', 'profile_name')
      .where(query.status === undefined ? '1 = 1' : 'r.status = :status', { status: query.status })
      .andWhere(query.profile_id === undefined ? '1 = 1' : 'r.profile_id = :profileId', { profileId: query.profile_id })
      .orderBy('r.created_at', 'DESC')
      .addOrderBy('r.id', 'DESC')
      .limit(200)
      .getRawAndEntities();
    return rows.entities.map((row, index) => toDto(row, (rows.raw[index] as { profile_name: string }).profile_name));
  }

  async get(id: number, manager: EntityManager = this.dataSource.manager): Promise<ChangeRequestDto> {
    const row = await manager.findOneBy(ChangeRequestEntity, { id });
    if (!row) throw new NotFoundError(`There is no change request ${id}.`);
    return toDto(row, await requireProfile(manager, row.profileId));
  }

  /**
   * Applies the request as its author's change (audited with request id `change-request-<id>`),
   * in one transaction with its decision. 412 when a domain it changes moved since it was made.
   */
  async approve(id: number, comment: string | undefined, actor: string): Promise<ChangeRequestDto> {
    const { profile_id: profileId } = await this.assertMayDecide(id, actor, 'approve');
    return runWithRequestId(`change-request-${id}`, () =>
      this.dataSource.transaction(async (manager) => {
        // The profile first, then the request: the order a profile's delete takes them in (its cascade).
        await lockProfile(manager, profileId);
        const row = await this.openRow(manager, id);
        const detail = await this.profiles.get(row.profileId, manager);
        for (const [domain, version] of Object.entries(row.baseVersions)) {
          const now = currentVersion(detail, domain);
          if (now !== version) {
            throw new PreconditionFailedError(
              `Profile "${detail.name}" changed since this request was made (${domain} version ${version}, now ${now}): ask ${row.createdBy} to propose it again, or reject it.`,
            );
          }
        }
        const values = { ...row.values } as Partial<ProfileDocumentDto>;
        if (row.changes.genie_spaces) values.genie_spaces = patchedGenieSpaces(detail, row.changes.genie_spaces, row.createdBy);
        await this.documents.applyPresent(manager, row.profileId, values, row.createdBy);
        return this.decide(manager, row, 'approved', actor, comment);
      }),
    );
  }

  async reject(id: number, comment: string | undefined, actor: string): Promise<ChangeRequestDto> {
    if (!comment?.trim()) throw new UnprocessableError('Say why the request is rejected.', [{ field: 'comment', message: 'is required to reject' }]);
    await this.assertMayDecide(id, actor, 'reject');
    return this.dataSource.transaction(async (manager) => this.decide(manager, await this.openRow(manager, id), 'rejected', actor, comment));
  }

  async rule(profileId: number): Promise<ApprovalRuleDto> {
    await requireProfile(this.dataSource.manager, profileId);
    const row = await this.dataSource.manager.findOneBy(ApprovalRuleEntity, { profileId });
    return { profile_id: profileId, required: !!row, required_by: row?.requiredBy ?? null, required_at: row?.requiredAt.toISOString() ?? null };
  }

  /** Turns approval on (true) or off for the profile; audited. Returns whether it changed. */
  async setRule(profileId: number, required: boolean, actor: string): Promise<{ rule: ApprovalRuleDto; changed: boolean }> {
    const changed = await this.dataSource.transaction(async (manager) => {
      const profileName = await lockProfile(manager, profileId);
      const existing = await manager.existsBy(ApprovalRuleEntity, { profileId });
      if (existing === required) return false;
      if (required) await manager.insert(ApprovalRuleEntity, { profileId, requiredBy: actor });
      else await manager.delete(ApprovalRuleEntity, { profileId });
      const changes: FieldChanges = { required: { old: existing, new: required } };
      await emitConfigChanged(this.events, new ConfigChangedEvent(manager, profileId, profileName, APPROVAL_DOMAIN, required ? 'create' : 'delete', actor, changes));
      return true;
    });
    return { rule: await this.rule(profileId), changed };
  }

  /**
   * Refuses (409) to schedule a change of a profile that requires approval, unless an admin asks:
   * the change would run later with no principal, past ApprovalGate.
   */
  async assertSchedulable(manager: EntityManager, profileId: number, profileName: string): Promise<void> {
    const principal = currentPrincipal();
    if (!principal || principal.role === 'admin' || !(await this.requiresApproval(manager, profileId))) return;
    throw new ApprovalRequiredError(`Profile "${profileName}" requires approval: an editor cannot schedule changes of it; propose them with POST /api/config/change-requests.`);
  }

  /** Whether the profile requires approval, read in the caller's transaction (ApprovalGate). */
  async requiresApproval(manager: EntityManager, profileId: number): Promise<boolean> {
    return manager.existsBy(ApprovalRuleEntity, { profileId });
  }

  /** Deciding takes the editor role on the profile, and someone other than the author. */
  private async assertMayDecide(id: number, actor: string, verb: 'approve' | 'reject'): Promise<ChangeRequestDto> {
    const request = await this.get(id);
    assertMayChangeProfile(request.profile_id, request.profile_name);
    if (request.created_by.toLowerCase() === actor.toLowerCase()) {
      throw new ForbiddenError(`You cannot ${verb} your own change request: another editor decides on it.`);
    }
    return request;
  }

  private async openRow(manager: EntityManager, id: number): Promise<ChangeRequestEntity> {
    const row = await manager.findOne(ChangeRequestEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!row) throw new NotFoundError(`There is no change request ${id}.`);
    if (row.status !== 'open') throw new ConflictError(`Change request ${id} was ${row.status} by ${row.decidedBy} already.`);
    return row;
  }

  private async decide(manager: EntityManager, row: ChangeRequestEntity, status: ChangeRequestStatus, actor: string, comment: string | undefined): Promise<ChangeRequestDto> {
    await manager.update(ChangeRequestEntity, { id: row.id }, { status, decidedBy: actor, decidedAt: () => 'now()', comment: comment?.trim() || null });
    return this.get(row.id, manager);
  }
}

/** The fields the values change, by domain, with the versions they were read at; only changing fields are proposed. */
function diffAgainst(detail: ProfileDetailDto, values: Omit<ScheduledValuesDto, 'genie_spaces'> & { genie_spaces?: GenieSpaceValues[] }) {
  const changes: Record<string, FieldChanges> = {};
  const baseVersions: Record<string, number> = {};
  const proposed: Record<string, unknown> = {};
  for (const domain of BUILT_IN) {
    const wanted = values[domain] as Record<string, unknown> | undefined;
    if (!wanted) continue;
    const current = detail[domain] as unknown as Record<string, unknown>;
    const fields = Object.entries(wanted).filter(([field, value]) => value !== undefined && !isDeepStrictEqual(current[field], value));
    if (!fields.length) continue;
    changes[domain] = Object.fromEntries(fields.map(([field, value]) => [field, { old: current[field], new: value }]));
    proposed[domain] = Object.fromEntries(fields);
    baseVersions[domain] = currentVersion(detail, domain);
  }
  const genieChanges = values.genie_spaces && genieSpaceChanges(normaliseGenieSpaces(detail.genie_spaces), values.genie_spaces);
  if (genieChanges && Object.keys(genieChanges).length) {
    changes.genie_spaces = genieChanges;
    proposed.genie_spaces = values.genie_spaces;
  }
  for (const [name, wanted] of Object.entries(values.domains ?? {})) {
    const current = (detail.domains?.[name]?.values ?? {}) as Record<string, unknown>;
    const fields = [...new Set([...Object.keys(current), ...Object.keys(wanted)])].filter((field) => !isDeepStrictEqual(current[field], wanted[field]));
    if (!fields.length) continue;
    changes[name] = Object.fromEntries(fields.map((field) => [field, { old: current[field] ?? null, new: wanted[field] ?? null }]));
    proposed.domains = { ...(proposed.domains as Record<string, unknown> | undefined), [name]: wanted };
    baseVersions[name] = currentVersion(detail, name);
  }
  return { changes, baseVersions, proposed };
}

/** The profile's Genie spaces with the request's differences applied; 412 when one no longer starts from its `old`. */
function patchedGenieSpaces(detail: ProfileDetailDto, differences: FieldChanges, author: string): GenieSpaceValues[] {
  const patched = patchGenieSpaces(normaliseGenieSpaces(detail.genie_spaces), differences);
  if ('spaces' in patched) return patched.spaces;
  throw new PreconditionFailedError(
    `Profile "${detail.name}" changed since this request was made (Genie space ${patched.conflict}): ask ${author} to propose it again, or reject it.`,
  );
}

function currentVersion(detail: ProfileDetailDto, domain: string): number {
  if ((BUILT_IN as readonly string[]).includes(domain)) return (detail[domain as BuiltIn] as { version: number }).version;
  return detail.domains?.[domain]?.version ?? 0;
}

function toDto(row: ChangeRequestEntity, profileName: string): ChangeRequestDto {
  return {
    change_request_id: row.id,
    profile_id: row.profileId,
    profile_name: profileName,
    status: row.status,
    values: row.values,
    changes: row.changes,
    base_versions: row.baseVersions,
    message: row.message,
    created_by: row.createdBy,
    created_at: row.createdAt.toISOString(),
    decided_by: row.decidedBy,
    decided_at: row.decidedAt?.toISOString() ?? null,
    comment: row.comment,
  };
}
