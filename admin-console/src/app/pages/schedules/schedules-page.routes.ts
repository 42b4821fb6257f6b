import { Routes } from '@angular/router';

import { SbSchedulesPageComponent } from './schedules-page.component';

export const SCHEDULES_PAGE_ROUTES: Routes = [{ path: '', component: SbSchedulesPageComponent, title: 'Scheduled changes · Switchboard' }];
