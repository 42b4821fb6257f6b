import { Routes } from '@angular/router';

import { SbComparePageComponent } from './compare-page.component';

export const COMPARE_PAGE_ROUTES: Routes = [{ path: '', component: SbComparePageComponent, title: 'Compare · Switchboard' }];
