import { Routes } from '@angular/router';

import { SbSessionsPageComponent } from './sessions-page.component';

export const SESSIONS_PAGE_ROUTES: Routes = [{ path: '', component: SbSessionsPageComponent, title: 'Agent sessions · Switchboard' }];
