import { HttpContext } from '@angular/common/http';
import { inject } from '@angular/core';
import { MatDialog } from '@angular/material/dialog';
import { CanActivateFn, CanDeactivateFn, Router } from '@angular/router';
import { catchError, map, of } from 'rxjs';

import { AuthService } from '../api/services';
import { confirmAction } from '../shared/confirm-dialog/confirm-dialog.component';
import { SbAuthStore } from './auth.store';
import { SB_HANDLED_STATUSES, SbProblem } from './problem';
import { SbProfileStore } from './profile.store';

/** Routes that need a token the server accepts; the others go to the sign-in page. */
export const sbSignedInGuard: CanActivateFn = (_route, state) => {
  const auth = inject(SbAuthStore);
  const router = inject(Router);
  const signIn = router.createUrlTree(['/sign-in'], { queryParams: { returnUrl: state.url } });
  if (!auth.token()) return signIn;
  if (auth.principal()) return true;
  return inject(AuthService)
    .getCurrentPrincipal(undefined, new HttpContext().set(SB_HANDLED_STATUSES, [401]))
    .pipe(
      map((principal) => {
        auth.setPrincipal(principal);
        return true;
      }),
      catchError((problem: unknown) => {
        const rejected = problem instanceof SbProblem && problem.status === 401;
        if (rejected) auth.clear();
        return of(router.createUrlTree(['/sign-in'], { queryParams: { reason: rejected ? 'rejected' : 'error', returnUrl: state.url } }));
      }),
    );
};

/** `/`: the default profile's configuration, or the profile manager when there is none. */
export const sbDefaultProfileRedirect: CanActivateFn = () => {
  const router = inject(Router);
  return inject(SbProfileStore)
    .refresh()
    .pipe(
      map((profiles) => {
        const target = profiles.find((profile) => profile.is_default) ?? profiles[0];
        return target ? router.createUrlTree(['/profiles', target.id]) : router.createUrlTree(['/profiles']);
      }),
      catchError(() => of(router.createUrlTree(['/profiles']))),
    );
};

/** A page with work that leaving would lose. */
export interface SbDirtyAware {
  hasUnsavedChanges(): boolean;
}

/** Asks (in the console's own dialog) before leaving a page with unsaved changes: other tab, other profile, other page. */
export const sbUnsavedChangesGuard: CanDeactivateFn<SbDirtyAware> = (component) =>
  !component?.hasUnsavedChanges() ||
  confirmAction(inject(MatDialog), {
    title: 'Leave without saving?',
    message: 'Your changes on this page are not saved. Leaving discards them.',
    confirm: 'Discard and leave',
    cancel: 'Stay',
    danger: true,
  });
