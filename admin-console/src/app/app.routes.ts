import { Routes } from '@angular/router';

import { sbDefaultProfileRedirect, sbSignedInGuard } from './core/guards';

export const routes: Routes = [
  {
    path: 'sign-in',
    loadChildren: () => import('./pages/sign-in/sign-in-page.routes').then((m) => m.SIGN_IN_PAGE_ROUTES),
  },
  {
    path: '',
    canActivate: [sbSignedInGuard],
    children: [
      { path: '', pathMatch: 'full', canActivate: [sbDefaultProfileRedirect], children: [] },
      {
        path: 'profiles',
        pathMatch: 'full',
        loadChildren: () => import('./pages/profiles/profiles-page.routes').then((m) => m.PROFILES_PAGE_ROUTES),
      },
      {
        path: 'compare',
        loadChildren: () => import('./pages/compare/compare-page.routes').then((m) => m.COMPARE_PAGE_ROUTES),
      },
      {
        path: 'domains',
        loadChildren: () => import('./pages/domains/domains-page.routes').then((m) => m.DOMAINS_PAGE_ROUTES),
      },
      {
        path: 'sessions',
        loadChildren: () => import('./pages/sessions/sessions-page.routes').then((m) => m.SESSIONS_PAGE_ROUTES),
      },
      {
        path: 'schedules',
        loadChildren: () => import('./pages/schedules/schedules-page.routes').then((m) => m.SCHEDULES_PAGE_ROUTES),
      },
      {
        path: 'change-requests',
        loadChildren: () => import('./pages/change-requests/change-requests-page.routes').then((m) => m.CHANGE_REQUESTS_PAGE_ROUTES),
      },
      {
        path: 'instance',
        loadChildren: () => import('./pages/instance/instance-page.routes').then((m) => m.INSTANCE_PAGE_ROUTES),
      },
      {
        path: 'tokens',
        loadChildren: () => import('./pages/tokens/tokens-page.routes').then((m) => m.TOKENS_PAGE_ROUTES),
      },
      {
        path: 'profiles/:profileId',
        loadChildren: () => import('./pages/config/config-page.routes').then((m) => m.CONFIG_PAGE_ROUTES),
      },
    ],
  },
  { path: '**', redirectTo: '' },
];
