import type { ValueTransformer } from 'typeorm';

/** node-postgres returns NUMERIC as a string to keep precision; our numerics are small (3,2). */
export const numericTransformer: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
