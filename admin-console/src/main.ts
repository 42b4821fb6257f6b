import { bootstrapApplication } from '@angular/platform-browser';

import { SbAppComponent } from './app/app.component';
import { appConfig } from './app/app.config';

bootstrapApplication(SbAppComponent, appConfig).catch((error: unknown) => console.error(error));
