import { HttpContext } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, DestroyRef, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Router } from '@angular/router';

import { AuthService } from '../../api/services';
import { SbAuthStore } from '../../core/auth.store';
import { SB_HANDLED_STATUSES, SbProblem } from '../../core/problem';
import { SbProfileStore } from '../../core/profile.store';

/** Sign-in with an API token; also the screen shown when the server rejects the token. */
@Component({
  selector: 'sb-sign-in-page',
  imports: [ReactiveFormsModule, MatButtonModule, MatCardModule, MatFormFieldModule, MatInputModule],
  templateUrl: './sign-in-page.component.html',
  styleUrl: './sign-in-page.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SbSignInPageComponent {
  /** From the query string: why the user is here, and where to go afterwards. */
  readonly reason = input<string>();
  readonly returnUrl = input<string>();

  private readonly api = inject(AuthService);
  private readonly auth = inject(SbAuthStore);
  private readonly profiles = inject(SbProfileStore);
  private readonly router = inject(Router);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly form = new FormGroup({ token: new FormControl('', { nonNullable: true, validators: [Validators.required] }) });
  protected readonly token = this.form.controls.token;
  protected readonly busy = signal(false);
  protected readonly failure = signal<string | null>(null);
  protected readonly notice = computed(() => {
    switch (this.reason()) {
      case 'rejected':
        return 'The server rejected your token: it is wrong, revoked or expired. Sign in with a valid token.';
      case 'signed-out':
        return 'You are signed out.';
      case 'error':
        return 'Your token could not be checked: the server did not answer. Try again.';
      default:
        return null;
    }
  });

  protected signIn(): void {
    const token = this.token.value.trim();
    if (!token) {
      this.token.markAsTouched();
      return;
    }
    this.busy.set(true);
    this.failure.set(null);
    this.auth.setToken(token);
    this.api
      .getCurrentPrincipal(undefined, new HttpContext().set(SB_HANDLED_STATUSES, [401]))
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (principal) => {
          this.auth.setPrincipal(principal);
          this.profiles.clear();
          this.busy.set(false);
          const target = this.returnUrl();
          // Focus then goes to the new page's heading (SbNavigationFocus), not back to <body>.
          void this.router.navigateByUrl(target && target.startsWith('/') && !target.startsWith('/sign-in') ? target : '/');
        },
        error: (problem: unknown) => {
          this.auth.clear();
          this.busy.set(false);
          this.failure.set(
            problem instanceof SbProblem && problem.status === 401
              ? 'This token is not accepted. Check that you copied all of it.'
              : problem instanceof SbProblem
                ? problem.message
                : 'Sign-in failed.',
          );
        },
      });
  }
}
