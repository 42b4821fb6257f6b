import { Routes } from '@angular/router';

import { SbHomePageComponent } from './home-page.component';

export const HOME_PAGE_ROUTES: Routes = [{ path: '', component: SbHomePageComponent, title: 'Switchboard' }];
