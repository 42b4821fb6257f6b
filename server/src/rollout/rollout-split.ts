import { createHash } from 'node:crypto';

/** What resolution needs of a profile's rollout. */
export interface RolloutSplit {
  profileId: number;
  candidateProfileId: number;
  percentage: number;
}

/**
 * Whether a subject goes to the candidate: its bucket (0–9999, from a hash of the profile and the
 * subject) is below the percentage. Deterministic, so a subject stays on its side while the
 * percentage stays; raising it only moves subjects to the candidate, never back.
 */
export function servesCandidate(split: RolloutSplit, subject: string): boolean {
  const digest = createHash('sha256').update(`${split.profileId}:${subject}`).digest();
  return digest.readUInt32BE(0) % 10_000 < split.percentage * 100;
}
