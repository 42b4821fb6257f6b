import { Routes } from '@angular/router';

import { SbChangeRequestsPageComponent } from './change-requests-page.component';

export const CHANGE_REQUESTS_PAGE_ROUTES: Routes = [{ path: '', component: SbChangeRequestsPageComponent, title: 'Change requests · Switchboard' }];
