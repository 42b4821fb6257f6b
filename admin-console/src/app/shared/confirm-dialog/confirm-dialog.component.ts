import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialog, MatDialogModule } from '@angular/material/dialog';
import { map, Observable } from 'rxjs';

export interface SbConfirmData {
  title: string;
  message: string;
  confirm: string;
  /** The other button; "Cancel" by default. */
  cancel?: string;
  /** Destructive actions get the error colour. */
  danger?: boolean;
}

/** "Are you sure?" before destructive actions. Closes with true when confirmed. */
@Component({
  selector: 'sb-confirm-dialog',
  imports: [MatDialogModule, MatButtonModule],
  template: `
    <h2 mat-dialog-title>{{ data.title }}</h2>
    <mat-dialog-content>
      <p>{{ data.message }}</p>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button mat-dialog-close cdkFocusInitial>{{ data.cancel ?? 'Cancel' }}</button>
      <button mat-flat-button [class.sb-danger]="data.danger" [mat-dialog-close]="true">{{ data.confirm }}</button>
    </mat-dialog-actions>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SbConfirmDialogComponent {
  protected readonly data = inject<SbConfirmData>(MAT_DIALOG_DATA);
}

export function confirmAction(dialog: MatDialog, data: SbConfirmData): Observable<boolean> {
  return dialog
    .open<SbConfirmDialogComponent, SbConfirmData, boolean>(SbConfirmDialogComponent, { data, width: '440px' })
    .afterClosed()
    .pipe(map((confirmed) => confirmed === true));
}
