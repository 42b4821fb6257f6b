import { ChangeDetectionStrategy, Component } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';

@Component({
  selector: 'sb-home-page',
  imports: [MatButtonModule],
  templateUrl: './home-page.component.html',
  styleUrl: './home-page.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SbHomePageComponent {
  /** The server's Swagger UI (proxied to the API server by `ng serve`). */
  protected readonly apiDocsUrl = '/docs';
}
