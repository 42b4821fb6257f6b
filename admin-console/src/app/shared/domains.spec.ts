import { ConfigHistoryEntryDto } from '../api/models';
import { domainLabelOf, fieldLabel, historyChanges, SbDomainList } from './domains';

const DOMAINS: SbDomainList = [
  { name: 'ai_infra', title: 'AI infrastructure', schema: { type: 'object', properties: { llm_temperature: { title: 'Temperature', type: 'number' } } } },
  { name: 'genie_spaces', title: 'Genie spaces', schema: { type: 'array', items: { type: 'object', properties: { space_name: { title: 'Name', type: 'string' } } } } },
  {
    name: 'llm_gateway',
    title: 'LLM gateway',
    schema: { type: 'object', properties: { retries: { title: 'Retries', type: 'integer' }, cache: { type: 'object', properties: { ttl: { title: 'Cache lifetime', type: 'integer' } } }, raw: { type: 'string' } } },
  },
];

describe('labels from the domains’ schemas', () => {
  it('names fields by their schema titles, built-in and registered alike, nested ones too', () => {
    expect(fieldLabel('ai_infra', 'llm_temperature', DOMAINS)).toBe('Temperature');
    expect(fieldLabel('llm_gateway', 'retries', DOMAINS)).toBe('Retries');
    expect(fieldLabel('llm_gateway', 'cache.ttl', DOMAINS)).toBe('Cache lifetime');
    expect(fieldLabel('llm_gateway', 'raw', DOMAINS)).toBe('raw'); // no title: its name
    expect(fieldLabel('removed_domain', 'x', DOMAINS)).toBe('x');
    expect(fieldLabel('genie', `${'a'.repeat(32)}.space_name`, DOMAINS)).toBe('Space aaaaaaaa… · Name');
    expect(fieldLabel('profile', 'description', DOMAINS)).toBe('Description');
    expect(fieldLabel('ai_infra', 'llm_temperature', [])).toBe('llm_temperature'); // before the list arrives
  });

  it('names domains by their titles; a deleted one keeps its name', () => {
    expect(domainLabelOf('genie', DOMAINS)).toBe('Genie spaces');
    expect(domainLabelOf('llm_gateway', DOMAINS)).toBe('LLM gateway');
    expect(domainLabelOf('gone_domain', DOMAINS)).toBe('gone_domain');
  });

  it("turns a history entry's changes into labelled rows", () => {
    const entry = { domain: 'llm_gateway', changes: { retries: { old: 2, new: 4 } } } as unknown as ConfigHistoryEntryDto;
    expect(historyChanges(entry, DOMAINS)).toEqual([{ field: 'retries', label: 'Retries', before: 2, after: 4 }]);
  });
});
