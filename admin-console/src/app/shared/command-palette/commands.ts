import { ProfileListItemDto } from '../../api/models';
import { SbProfileTab } from '../../core/profile-tabs';

/** One line of the command palette: where it goes (a URL) or what it does. */
export interface SbCommand {
  id: string;
  group: 'Go to' | 'This profile' | 'Profiles' | 'Actions';
  label: string;
  /** Shown after the label: a default mark, a shortcut. */
  hint?: string;
  url?: { path: unknown[]; queryParams?: Record<string, string | number> };
  action?: 'theme' | 'sign-out' | 'shortcuts';
}

export interface SbCommandContext {
  admin: boolean;
  editor: boolean;
  /** The profile on screen, if any: its tabs come first. */
  current: ProfileListItemDto | null;
  profiles: readonly ProfileListItemDto[];
  tabs: readonly SbProfileTab[];
}

/** Everything the palette offers, in the order it lists them before anything is typed. */
export function buildCommands(context: SbCommandContext): SbCommand[] {
  const commands: SbCommand[] = [];
  if (context.current) {
    const id = context.current.id;
    for (const tab of context.tabs) commands.push({ id: `tab:${tab.path}`, group: 'This profile', label: tab.label, hint: context.current.name, url: { path: ['/profiles', id, ...tab.path.split('/')] } });
  }
  const pages: [string, string, boolean][] = [
    ['/profiles', 'Profiles', true],
    ['/domains', 'Domains', true],
    ['/compare', 'Compare profiles', true],
    ['/sessions', 'Agent sessions', true],
    ['/schedules', 'Scheduled changes', true],
    ['/change-requests', 'Change requests', true],
    ['/tokens', 'API tokens', context.admin],
    ['/instance', 'Instance status', true],
  ];
  for (const [path, label, shown] of pages) if (shown) commands.push({ id: `page:${path}`, group: 'Go to', label, url: { path: [path] } });
  for (const profile of context.profiles) {
    commands.push({ id: `profile:${profile.id}`, group: 'Profiles', label: profile.name, hint: profile.is_default ? 'default' : undefined, url: { path: ['/profiles', profile.id] } });
  }
  if (context.editor) commands.push({ id: 'new-profile', group: 'Actions', label: 'New profile…', url: { path: ['/profiles'], queryParams: { new: 1 } } });
  commands.push(
    { id: 'theme', group: 'Actions', label: 'Change theme (system, light, dark)', action: 'theme' },
    { id: 'shortcuts', group: 'Actions', label: 'Keyboard shortcuts', hint: '?', action: 'shortcuts' },
    { id: 'sign-out', group: 'Actions', label: 'Sign out', action: 'sign-out' },
  );
  return commands;
}

/**
 * The commands whose label, group or hint holds every word typed (any case, any order), the ones
 * whose label starts with the first word first; at most `limit`.
 */
export function matchCommands(commands: readonly SbCommand[], query: string, limit = 50): SbCommand[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return commands.slice(0, limit);
  const matching = commands.filter((command) => {
    const text = `${command.label} ${command.group} ${command.hint ?? ''}`.toLowerCase();
    return words.every((word) => text.includes(word));
  });
  const starts = (command: SbCommand) => (command.label.toLowerCase().startsWith(words[0]!) ? 0 : 1);
  return matching.map((command, index) => ({ command, index })).sort((a, b) => starts(a.command) - starts(b.command) || a.index - b.index).map(({ command }) => command).slice(0, limit);
}
