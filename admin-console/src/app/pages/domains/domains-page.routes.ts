import { Routes } from '@angular/router';
import { provideMonacoEditor } from 'ngx-monaco-editor-v2';

import { sbUnsavedChangesGuard } from '../../core/guards';
import { provideSchemaForms } from '../../shared/schema-form/schema-form';
import { MONACO_BASE_URL } from '../config/config-page.routes';
import { SbDomainEditorPageComponent } from './domain-editor-page.component';
import { SbDomainsPageComponent } from './domains-page.component';

export const DOMAINS_PAGE_ROUTES: Routes = [
  { path: '', pathMatch: 'full', component: SbDomainsPageComponent, title: 'Domains · Switchboard' },
  {
    path: ':name',
    component: SbDomainEditorPageComponent,
    title: 'Domain · Switchboard',
    canDeactivate: [sbUnsavedChangesGuard],
    providers: [provideSchemaForms(), provideMonacoEditor({ baseUrl: MONACO_BASE_URL, defaultOptions: { scrollBeyondLastLine: false } })],
  },
];
