import { Routes } from '@angular/router';

export const routes: Routes = [
  {
    path: '',
    pathMatch: 'full',
    loadChildren: () => import('./pages/home/home-page.routes').then((m) => m.HOME_PAGE_ROUTES),
  },
  { path: '**', redirectTo: '' },
];
