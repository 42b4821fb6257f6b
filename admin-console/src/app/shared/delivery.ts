import { ChangeDeliveryDto } from '../api/models';

/** "applied on 2/2 instances in 18 ms · 1/3 agent sessions confirmed · 1 pinned session not taking it": what became of a save. */
export function deliveryText(delivery: ChangeDeliveryDto): string {
  const { applied, total } = delivery.instances_applied;
  const instances = `applied on ${applied}/${total} instance${total === 1 ? '' : 's'}${delivery.all_instances_after_ms !== null ? ` in ${delivery.all_instances_after_ms} ms` : ''}`;
  const sessions = delivery.sessions_applied.total
    ? `${delivery.sessions_applied.applied}/${delivery.sessions_applied.total} agent session${delivery.sessions_applied.total === 1 ? '' : 's'} confirmed`
    : '';
  const pinned = delivery.sessions_pinned ? `${delivery.sessions_pinned} pinned session${delivery.sessions_pinned === 1 ? '' : 's'} not taking it` : '';
  return [instances, sessions, pinned].filter(Boolean).join(' · ');
}

/** Everything that could confirm has: no need to ask again. */
export function deliveryComplete(delivery: ChangeDeliveryDto): boolean {
  return delivery.instances_applied.applied === delivery.instances_applied.total && delivery.sessions_applied.applied === delivery.sessions_applied.total;
}
