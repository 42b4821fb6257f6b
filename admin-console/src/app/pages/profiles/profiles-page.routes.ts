import { Routes } from '@angular/router';

import { SbProfilesPageComponent } from './profiles-page.component';

export const PROFILES_PAGE_ROUTES: Routes = [{ path: '', component: SbProfilesPageComponent, title: 'Profiles · Switchboard' }];
