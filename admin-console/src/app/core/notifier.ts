import { inject, Injectable } from '@angular/core';
import { MatSnackBar } from '@angular/material/snack-bar';

/** Short results and failures, in one snackbar at a time. */
@Injectable({ providedIn: 'root' })
export class SbNotifier {
  private readonly snackBar = inject(MatSnackBar);

  success(message: string): void {
    this.snackBar.open(message, 'OK', { duration: 4000, panelClass: 'sb-snack--success', politeness: 'polite' });
  }

  error(message: string): void {
    this.snackBar.open(message, 'Close', { duration: 8000, panelClass: 'sb-snack--error', politeness: 'assertive' });
  }
}
