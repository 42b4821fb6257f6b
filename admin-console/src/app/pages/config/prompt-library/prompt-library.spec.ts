import { RegistryPromptDto } from '../../../api/models';
import { parseVariables } from './new-prompt-dialog.component';
import { matchesSearch } from './prompt-library.component';

const PROMPT: RegistryPromptDto = {
  name: 'verify.answer',
  description: 'Checks an answer against the logs',
  variables: [],
  inherited: false,
  latest_version: 3,
  labels: { production: 2, staging: 3 },
  created_by: 'alice',
  created_at: '2026-11-25T12:00:00.000Z',
  updated_at: '2026-11-25T12:00:00.000Z',
};

describe('prompt library', () => {
  it('matches a search on every word, in the name, the description or a label, ignoring case', () => {
    expect(matchesSearch(PROMPT, '')).toBe(true);
    expect(matchesSearch(PROMPT, 'VERIFY logs')).toBe(true);
    expect(matchesSearch(PROMPT, 'staging')).toBe(true);
    expect(matchesSearch(PROMPT, 'verify analyze')).toBe(false);
  });

  it('reads the variables as typed: optional with ?, a sample after =', () => {
    expect(parseVariables('line=ERROR disk full, project?=MMBL\nquestion')).toEqual([
      { name: 'line', required: true, sample: 'ERROR disk full' },
      { name: 'project', required: false, sample: 'MMBL' },
      { name: 'question', required: true },
    ]);
    expect(parseVariables(' , ')).toEqual([]);
    expect(parseVariables('url=a=b')).toEqual([{ name: 'url', required: true, sample: 'a=b' }]);
  });
});
