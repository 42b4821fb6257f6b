import { Routes } from '@angular/router';

import { SbSignInPageComponent } from './sign-in-page.component';

export const SIGN_IN_PAGE_ROUTES: Routes = [{ path: '', component: SbSignInPageComponent, title: 'Sign in · Switchboard' }];
