import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { envInteger } from '../config/env.js';
import { poolSize } from './database-options.js';
import { DatabaseBusyError } from '../errors/domain-errors.js';

/** What pg-pool exposes of its state (TypeORM's PostgresDriver keeps it as `master`). */
interface PoolState {
  totalCount: number;
  waitingCount: number;
  options: { max: number };
}

interface Waiter {
  admit(): void;
  timer: NodeJS.Timeout;
}

/**
 * Writes wait for a connection here, in order, instead of in pg-pool's queue.
 *
 * Every write is one transaction that holds a connection while it waits for row locks. Four
 * hundred concurrent writes to one profile used to take all connections and leave the rest
 * waiting in pg-pool, whose 5 s connect timeout then failed them as if the database were down.
 * The gate lets at most `pool size − 2` transactions run, so reads (auth, resolved, lists) keep
 * two connections; the others queue for up to SWITCHBOARD_WRITE_QUEUE_TIMEOUT_SECONDS and are
 * then refused with 503 "busy" and Retry-After.
 */
@Injectable()
export class TransactionGate implements OnModuleInit {
  readonly capacity: number;
  private readonly maxWaitMs: number;
  private readonly maxQueue: number;
  private running = 0;
  private readonly waiting: Waiter[] = [];

  constructor(private readonly dataSource: DataSource) {
    this.capacity = Math.max(1, poolSize() - 2);
    this.maxWaitMs = envInteger(process.env, 'SWITCHBOARD_WRITE_QUEUE_TIMEOUT_SECONDS', 30, { min: 1, unit: 'seconds' }) * 1000;
    this.maxQueue = envInteger(process.env, 'SWITCHBOARD_WRITE_QUEUE_LIMIT', 2000, { min: 1 });
  }

  /** Every `dataSource.transaction(…)` of the app passes through the gate. */
  onModuleInit(): void {
    const transaction = this.dataSource.transaction.bind(this.dataSource) as (...args: unknown[]) => Promise<unknown>;
    (this.dataSource as { transaction: unknown }).transaction = (...args: unknown[]) => this.run(() => transaction(...args));
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** True while every connection of the pool is checked out and requests wait for one. */
  poolSaturated(): boolean {
    const pool = (this.dataSource.driver as unknown as { master?: PoolState }).master;
    return !!pool && pool.totalCount >= pool.options.max;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.enter();
    try {
      return await work();
    } finally {
      this.leave();
    }
  }

  private enter(): Promise<void> {
    if (this.running < this.capacity) {
      this.running++;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.maxQueue) return Promise.reject(new DatabaseBusyError(`${this.waiting.length} writes are already queued`));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        admit: () => {
          clearTimeout(waiter.timer);
          resolve();
        },
        timer: setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(waiter), 1);
          reject(new DatabaseBusyError(`the write waited ${this.maxWaitMs / 1000} s for a connection`));
        }, this.maxWaitMs),
      };
      this.waiting.push(waiter);
    });
  }

  private leave(): void {
    const next = this.waiting.shift();
    if (next) next.admit(); // the slot passes straight on
    else this.running--;
  }
}
