import { Routes } from '@angular/router';

import { SbTokensPageComponent } from './tokens-page.component';

export const TOKENS_PAGE_ROUTES: Routes = [{ path: '', component: SbTokensPageComponent, title: 'API tokens · Switchboard' }];
