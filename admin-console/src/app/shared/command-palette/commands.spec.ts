import { ProfileListItemDto } from '../../api/models';
import { profileTabs } from '../../core/profile-tabs';
import { buildCommands, matchCommands } from './commands';

const profile = (id: number, name: string, is_default = false): ProfileListItemDto => ({
  id,
  name,
  description: null,
  is_default,
  version: 1,
  created_at: '2026-11-23T12:00:00.000Z',
  updated_at: '2026-11-23T12:00:00.000Z',
  last_changed_at: '2026-11-23T12:00:00.000Z',
  last_changed_by: null,
  live_sessions: 0,
  parent_profile_id: null,
});
const PROFILES = [profile(1, 'default', true), profile(2, 'Sales EU'), profile(3, 'Sales US')];

describe('command palette commands', () => {
  const commands = buildCommands({ admin: false, editor: true, current: PROFILES[1]!, profiles: PROFILES, tabs: profileTabs([{ name: 'llm_gateway', title: 'LLM gateway' }]) });
  const labels = (query: string) => matchCommands(commands, query).map((command) => command.label);

  it("offers the profile's tabs first (registered domains too), the pages the role may see, every profile and the actions", () => {
    expect(commands.slice(0, 8).map((command) => `${command.group}: ${command.label}`)).toEqual([
      'This profile: AI infrastructure',
      'This profile: Genie spaces',
      'This profile: MLflow',
      'This profile: Prompts',
      'This profile: Prompt library',
      'This profile: LLM gateway',
      'This profile: History',
      'Go to: Profiles',
    ]);
    expect(commands.find((command) => command.label === 'LLM gateway')?.url?.path).toEqual(['/profiles', 2, 'domains', 'llm_gateway']);
    expect(commands.some((command) => command.label === 'API tokens')).toBe(false); // admins only
    expect(commands.find((command) => command.id === 'profile:1')).toMatchObject({ label: 'default', hint: 'default', url: { path: ['/profiles', 1] } });
    expect(buildCommands({ admin: true, editor: true, current: null, profiles: [], tabs: [] }).some((command) => command.label === 'API tokens')).toBe(true);
    expect(buildCommands({ admin: false, editor: false, current: null, profiles: [], tabs: [] }).some((command) => command.id === 'new-profile')).toBe(false);
  });

  it('matches every word in any order and case, labels starting with the first word first', () => {
    expect(labels('us sales')).toEqual(['Sales US']);
    // The profiles first; then the tabs of the profile on screen, which is a Sales one too.
    expect(labels('SALES').slice(0, 3)).toEqual(['Sales EU', 'Sales US', 'AI infrastructure']);
    expect(labels('pro').slice(0, 3)).toEqual(['Prompts', 'Prompt library', 'Profiles']);
    expect(labels('nothing like it')).toEqual([]);
    expect(matchCommands(commands, '', 3)).toHaveLength(3);
  });
});
