/**
 * A write to a profile that requires approval answers 202 with the change request it became,
 * instead of the changed item: the request's id, else null.
 */
export function changeRequestIn(answer: unknown): number | null {
  const id = (answer as { change_request_id?: unknown } | null)?.change_request_id;
  return typeof id === 'number' ? id : null;
}

/** What to tell the author once a write became change request `id`. */
export function proposedMessage(id: number): string {
  return `Proposed as change request #${id}: another editor approves it in Requests.`;
}
