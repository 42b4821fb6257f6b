import { Routes } from '@angular/router';

import { SbInstancePageComponent } from './instance-page.component';

export const INSTANCE_PAGE_ROUTES: Routes = [{ path: '', component: SbInstancePageComponent, title: 'Instance · Switchboard' }];
