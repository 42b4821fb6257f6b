import { HttpErrorResponse, HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { Router } from '@angular/router';
import { catchError, throwError } from 'rxjs';

import { FieldErrorDto } from '../api/models';
import { SbAuthStore } from './auth.store';
import { SbNotifier } from './notifier';
import { SB_HANDLED_STATUSES, SbProblem } from './problem';
import { personMessage } from './problem-wording';
import { SbDomainCatalog } from './domain-catalog';
import { labelFromSchemas } from '../shared/domains';

/**
 * The one place that reads failed responses. Each becomes an SbProblem for the caller (whose form
 * shows its field errors next to the fields) and, unless the caller handles that status itself:
 * 401 signs out to the "token rejected" screen, anything else shows a snackbar.
 */
export const sbProblemInterceptor: HttpInterceptorFn = (request, next) => {
  const auth = inject(SbAuthStore);
  const notifier = inject(SbNotifier);
  const router = inject(Router);
  const catalog = inject(SbDomainCatalog);
  return next(request).pipe(
    catchError((error: unknown) => {
      if (!(error instanceof HttpErrorResponse)) return throwError(() => error);
      const problem = toProblem(error);
      if (!request.context.get(SB_HANDLED_STATUSES).includes(problem.status)) {
        if (problem.status === 401) {
          auth.clear();
          const returnUrl = router.url.startsWith('/sign-in') ? undefined : router.url;
          void router.navigate(['/sign-in'], { queryParams: { reason: 'rejected', returnUrl } });
        } else {
          notifier.error(personMessage(problem, (field) => labelFromSchemas(catalog.domains(), field)));
        }
      }
      return throwError(() => problem);
    }),
  );
};

export function toProblem(error: HttpErrorResponse): SbProblem {
  if (error.status === 0) {
    return new SbProblem(0, 'Server unreachable', 'The server cannot be reached. Check the connection and try again.');
  }
  const body = parseBody(error.error);
  const errors = Array.isArray(body?.['errors']) ? (body['errors'] as FieldErrorDto[]).filter(isFieldError) : [];
  const title = typeof body?.['title'] === 'string' ? body['title'] : error.statusText || `HTTP ${error.status}`;
  const detail = typeof body?.['detail'] === 'string' ? body['detail'] : '';
  const type = typeof body?.['type'] === 'string' ? body['type'] : 'about:blank';
  const requestId = typeof body?.['request_id'] === 'string' ? body['request_id'] : (error.headers?.get('x-request-id') ?? undefined);
  return new SbProblem(error.status, title, detail, errors, type, requestId);
}

function parseBody(raw: unknown): Record<string, unknown> | null {
  if (raw && typeof raw === 'object' && !(raw instanceof Blob) && !(raw instanceof ArrayBuffer)) return raw as Record<string, unknown>;
  if (typeof raw === 'string') {
    try {
      const parsed: unknown = JSON.parse(raw);
      return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  }
  return null;
}

function isFieldError(value: unknown): value is FieldErrorDto {
  return !!value && typeof value === 'object' && typeof (value as FieldErrorDto).field === 'string' && typeof (value as FieldErrorDto).message === 'string';
}
