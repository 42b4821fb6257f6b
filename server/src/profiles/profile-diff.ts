import { isDeepStrictEqual } from 'node:util';
import type { BuiltInConfigDomain } from '../common/events/config-events.js';
import { diffGenieSpaces, normaliseGenieSpaces, type SideBySide } from '../genie/genie-space-diff.js';
import type { ProfileDocumentDto } from './dto/profile-document.dto.js';
import { DOCUMENT_FIELDS } from './profile-document.js';

export type ProfileDifferences = Record<BuiltInConfigDomain, SideBySide> & {
  /** Registered domains whose values (as each side set them) differ, by name. */
  domains: Record<string, SideBySide>;
};

/**
 * Two profile documents field by field, per domain, holding only the fields that differ; Genie
 * spaces are matched by space_id. Empty domains mean the two configure agents alike.
 */
export function diffProfileDocuments(left: ProfileDocumentDto, right: ProfileDocumentDto): ProfileDifferences {
  return {
    profile: diffValues(left, right, DOCUMENT_FIELDS.profile),
    ai_infra: diffValues(left.ai_infra, right.ai_infra, DOCUMENT_FIELDS.ai_infra),
    genie: diffGenieSpaces(normaliseGenieSpaces(left.genie_spaces ?? []), normaliseGenieSpaces(right.genie_spaces ?? [])),
    mlflow: diffValues(left.mlflow, right.mlflow, DOCUMENT_FIELDS.mlflow),
    prompts: diffValues(left.prompts, right.prompts, DOCUMENT_FIELDS.prompts),
    domains: diffRegistered(left.domains ?? {}, right.domains ?? {}),
  };
}

function diffRegistered(left: Record<string, object>, right: Record<string, object>): Record<string, SideBySide> {
  const differences: Record<string, SideBySide> = {};
  for (const name of [...new Set([...Object.keys(left), ...Object.keys(right)])].sort()) {
    const fields = [...new Set([...Object.keys(left[name] ?? {}), ...Object.keys(right[name] ?? {})])];
    const domain = diffValues(left[name], right[name], fields);
    if (Object.keys(domain).length) differences[name] = domain;
  }
  return differences;
}

export function hasDifferences(differences: ProfileDifferences): boolean {
  const { domains, ...builtIn } = differences;
  return Object.keys(domains).length > 0 || Object.values(builtIn).some((fields) => Object.keys(fields).length > 0);
}

function diffValues(left: object | undefined, right: object | undefined, fields: readonly string[]): SideBySide {
  const differences: SideBySide = {};
  for (const field of fields) {
    const a = (left as Record<string, unknown> | undefined)?.[field] ?? null;
    const b = (right as Record<string, unknown> | undefined)?.[field] ?? null;
    if (!isDeepStrictEqual(a, b)) differences[field] = { left: a, right: b };
  }
  return differences;
}
