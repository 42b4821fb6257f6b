import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import { PROPOSES_CHANGES_METADATA } from '../common/http/proposals.js';
import { catchError, from, type Observable, tap, throwError } from 'rxjs';
import { ApprovalRequiredError } from './change-request.errors.js';
import { ChangeRequestsService } from './change-requests.service.js';

/**
 * On routes marked @ProposesChanges() (the PUTs of ai-infra, MLflow and prompts), an editor's
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
        if (!(error instanceof ApprovalRequiredError) || !error.proposal) return throwError(() => error);
        const reply = context.switchToHttp().getResponse<FastifyReply>();
        return from(this.changeRequests.proposeWrite(error.proposal)).pipe(
          tap((request) => reply.status(202).header('location', `/api/config/change-requests/${request.change_request_id}`)),
        );
      }),
    );
  }
}
