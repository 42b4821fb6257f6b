import { Routes } from '@angular/router';
import { provideMonacoEditor } from 'ngx-monaco-editor-v2';

import { sbUnsavedChangesGuard } from '../../core/guards';
import { provideSchemaForms } from '../../shared/schema-form/schema-form';
import { SbConfigPageComponent } from './config-page.component';
import { SbDirtyTabs } from './dirty-tabs';

/** Monaco itself is not bundled: its AMD build is copied to assets/monaco and loaded by the Prompts tab and a prompt's page only. */
export const MONACO_BASE_URL = '/assets/monaco/min/vs';

export const CONFIG_PAGE_ROUTES: Routes = [
  {
    path: '',
    component: SbConfigPageComponent,
    providers: [SbDirtyTabs],
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'ai-infra' },
      {
        path: 'ai-infra',
        title: 'AI infrastructure · Switchboard',
        canDeactivate: [sbUnsavedChangesGuard],
        loadComponent: () => import('./ai-infra/ai-infra-tab.component').then((m) => m.SbAiInfraTabComponent),
      },
      {
        path: 'genie',
        title: 'Genie spaces · Switchboard',
        loadComponent: () => import('./genie/genie-tab.component').then((m) => m.SbGenieTabComponent),
      },
      {
        path: 'mlflow',
        title: 'MLflow · Switchboard',
        canDeactivate: [sbUnsavedChangesGuard],
        loadComponent: () => import('./mlflow/mlflow-tab.component').then((m) => m.SbMlflowTabComponent),
      },
      {
        path: 'prompts',
        title: 'Prompts · Switchboard',
        canDeactivate: [sbUnsavedChangesGuard],
        providers: [provideMonacoEditor({ baseUrl: MONACO_BASE_URL, defaultOptions: { scrollBeyondLastLine: false } })],
        loadComponent: () => import('./prompts/prompts-tab.component').then((m) => m.SbPromptsTabComponent),
      },
      {
        path: 'prompt-library',
        title: 'Prompt library · Switchboard',
        loadComponent: () => import('./prompt-library/prompt-library.component').then((m) => m.SbPromptLibraryComponent),
      },
      {
        path: 'prompt-library/:name',
        title: 'Prompt · Switchboard',
        canDeactivate: [sbUnsavedChangesGuard],
        providers: [provideMonacoEditor({ baseUrl: MONACO_BASE_URL, defaultOptions: { scrollBeyondLastLine: false } })],
        loadComponent: () => import('./prompt-library/prompt-page.component').then((m) => m.SbPromptPageComponent),
      },
      {
        path: 'domains/:name',
        title: 'Registered domain · Switchboard',
        canDeactivate: [sbUnsavedChangesGuard],
        providers: [provideSchemaForms()],
        loadComponent: () => import('./custom-domain/custom-domain-tab.component').then((m) => m.SbCustomDomainTabComponent),
      },
      {
        path: 'access',
        title: 'Access · Switchboard',
        loadComponent: () => import('./access/access-tab.component').then((m) => m.SbAccessTabComponent),
      },
      {
        path: 'history',
        title: 'History · Switchboard',
        loadComponent: () => import('./history/history-tab.component').then((m) => m.SbHistoryTabComponent),
      },
    ],
  },
];
