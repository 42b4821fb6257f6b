import { DomainError } from '../common/errors/domain-errors.js';

/** A change a profile gates behind a probe, without a fresh passing probe of its settings. */
export class ProbeRequiredError extends DomainError {
  readonly status = 409;
  readonly slug = 'probe-required';
}
