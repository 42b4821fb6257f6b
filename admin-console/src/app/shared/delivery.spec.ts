import { ChangeDeliveryDto } from '../api/models';
import { deliveryComplete, deliveryText } from './delivery';

const DELIVERY: ChangeDeliveryDto = {
  history_id: 7,
  profile_id: 1,
  timestamp: '2026-11-26T12:00:00.000Z',
  instances: [],
  sessions: [],
  instances_applied: { applied: 2, total: 2 },
  sessions_applied: { applied: 1, total: 3 },
  sessions_pinned: 0,
  all_instances_after_ms: 18,
};

describe('deliveryText', () => {
  it('says where a change was applied, which sessions confirmed it, and which are pinned', () => {
    expect(deliveryText(DELIVERY)).toBe('applied on 2/2 instances in 18 ms · 1/3 agent sessions confirmed');
    expect(deliveryText({ ...DELIVERY, sessions_pinned: 1 })).toBe('applied on 2/2 instances in 18 ms · 1/3 agent sessions confirmed · 1 pinned session not taking it');
    expect(deliveryText({ ...DELIVERY, instances_applied: { applied: 1, total: 2 }, all_instances_after_ms: null, sessions_applied: { applied: 0, total: 0 }, sessions_pinned: 2 })).toBe(
      'applied on 1/2 instances · 2 pinned sessions not taking it',
    );
  });

  it('is complete once every instance and every session that takes the change confirmed it', () => {
    expect(deliveryComplete(DELIVERY)).toBe(false);
    expect(deliveryComplete({ ...DELIVERY, sessions_applied: { applied: 3, total: 3 }, sessions_pinned: 4 })).toBe(true);
  });
});
