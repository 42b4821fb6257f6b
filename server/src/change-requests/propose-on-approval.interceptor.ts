import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PROPOSES_CHANGES_METADATA } from '../common/http/proposals.js';
import { catchError, from, type Observable, tap, throwError } from 'rxjs';
import type { ScheduledValuesDto } from '../schedules/dto/schedule.dto.js';
import { ApprovalRequiredError, NothingToApproveError, type Proposal } from './change-request.errors.js';
import { ChangeRequestsService, type ProposalBase } from './change-requests.service.js';

/**
 * On routes marked @ProposesChanges() (the PUTs of ai-infra, MLflow, prompts and registered domains' values, the writes of Genie spaces, restores), an editor's
 * write to a profile that requires approval becomes a change request: 202 Accepted with the
 * request (and its Location), the profile unchanged. Elsewhere the refusal stands (409).
 */
@Injectable()
export class ProposeOnApprovalInterceptor implements NestInterceptor {
  constructor(
    private readonly changeRequests: ChangeRequestsService,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!this.reflector.get<boolean | undefined>(PROPOSES_CHANGES_METADATA, context.getHandler())) return next.handle();
    return next.handle().pipe(
      catchError((error: unknown) => {
        const values = error instanceof ApprovalRequiredError && error.proposal && proposedValues(error.proposal, context.switchToHttp().getRequest<FastifyRequest>());
        if (!values) return throwError(() => error);
        const proposal = (error as ApprovalRequiredError).proposal!;
        const reply = context.switchToHttp().getResponse<FastifyReply>();
        const message = 'restore' in proposal ? `Restore of history entry ${proposal.restore.entryId}` : undefined;
        return from(this.changeRequests.propose(proposal.profileId, values, message, proposal.actor, readOf(proposal))).pipe(
          tap((request) => reply.status(202).header('location', `/api/config/change-requests/${request.change_request_id}`)),
          // Nothing of it can be proposed (a restore of the name alone): the refusal stands, saying why.
          catchError((failure: unknown) => throwError(() => (failure instanceof NothingToApproveError ? error : failure))),
        );
      }),
    );
  }
}

/** What the write was made against: the domain's version, or the Genie spaces as they were. */
function readOf(proposal: Proposal): ProposalBase {
  if ('genie' in proposal) return { genie_spaces: proposal.genie.before };
  if ('restore' in proposal) return {};
  return { versions: { ['domain' in proposal ? proposal.domain : proposal.registered]: proposal.version } };
}

/** A built-in domain's changed fields; the Genie spaces as the write leaves them; a registered domain's values as the request's body gave them (secrets in the clear, which the request refuses). */
function proposedValues(proposal: Proposal, request: FastifyRequest): ScheduledValuesDto | undefined {
  if ('domain' in proposal) return { [proposal.domain]: proposal.values };
  if ('genie' in proposal) return { genie_spaces: proposal.genie.after };
  if ('restore' in proposal) return proposal.restore.values as ScheduledValuesDto;
  const values = (request.body as { values?: unknown } | undefined)?.values;
  return values && typeof values === 'object' && !Array.isArray(values) ? { domains: { [proposal.registered]: values as Record<string, unknown> } } : undefined;
}
