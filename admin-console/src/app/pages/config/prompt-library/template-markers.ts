import type * as Monaco from 'monaco-editor';

import { TemplateIssueDto } from '../../../api/models';

/** The server's template issues as Monaco markers of one editor (nothing while Monaco is not loaded). */
export function setTemplateMarkers(instance: Monaco.editor.IStandaloneCodeEditor | undefined, issues: readonly TemplateIssueDto[]): void {
  const monaco = (window as unknown as { monaco?: typeof Monaco }).monaco;
  const model = instance?.getModel();
  if (!monaco || !model) return;
  monaco.editor.setModelMarkers(
    model,
    'switchboard',
    issues.map((issue) => {
      const start = model.getPositionAt(issue.offset);
      const end = model.getPositionAt(issue.offset + Math.max(issue.length, 1));
      return {
        severity: issue.severity === 'error' ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning,
        message: issue.message,
        startLineNumber: start.lineNumber,
        startColumn: start.column,
        endLineNumber: end.lineNumber,
        endColumn: end.column,
      };
    }),
  );
}

/** A 422's template errors (field `template`, with positions) as issues. */
export function issuesOfProblem(fieldErrors: readonly { field: string; message: string; code?: string; offset?: number; length?: number; line?: number; column?: number }[]): TemplateIssueDto[] {
  return fieldErrors
    .filter((error) => error.field === 'template')
    .map((error) => ({
      severity: 'error' as const,
      code: error.code ?? 'invalid',
      message: error.message,
      offset: error.offset ?? 0,
      length: error.length ?? 0,
      line: error.line ?? 1,
      column: error.column ?? 1,
    }));
}
