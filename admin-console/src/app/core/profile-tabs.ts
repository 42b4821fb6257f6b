/** A tab of a profile's configuration page: its path under /profiles/:id and its label. */
export interface SbProfileTab {
  path: string;
  label: string;
}

/** The tabs in their order: the built-in domains, the registered ones, who has access (admins), then the history. */
export function profileTabs(registered: readonly { name: string; title: string }[], admin = false): SbProfileTab[] {
  return [
    { path: 'ai-infra', label: 'AI infrastructure' },
    { path: 'genie', label: 'Genie spaces' },
    { path: 'mlflow', label: 'MLflow' },
    { path: 'prompts', label: 'Prompts' },
    { path: 'prompt-library', label: 'Prompt library' },
    ...registered.map((domain) => ({ path: `domains/${domain.name}`, label: domain.title })),
    ...(admin ? [{ path: 'access', label: 'Access' }] : []),
    { path: 'history', label: 'History' },
  ];
}
