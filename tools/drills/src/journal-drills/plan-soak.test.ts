import { describe, expect, it } from 'vitest';
import { planSoak } from './run-soak.js';

const twoMinutes = [120_000, [15_000, 25_000], [3000, 8000]] as const;

describe('planSoak', () => {
  it('draws the schedule seed 13 has always drawn over two members', () => {
    const schedule = planSoak(13, ...twoMinutes);
    expect(schedule.map((fault) => `${fault.kind} ${fault.target}`)).toEqual(['blackhole primary', 'sigkill primary', 'gateway-sigkill gateway', 'sigkill backup']);
  });

  it('over three members draws the same gaps, kinds and durations, only the member differs, and the third is drawn', () => {
    for (const seed of [13, 1752013131, 1330729542]) {
      const two = planSoak(seed, 600_000, [20_000, 60_000], [3000, 8000]);
      const three = planSoak(seed, 600_000, [20_000, 60_000], [3000, 8000], 3);
      expect(three.map(({ target: _target, ...rest }) => rest)).toEqual(two.map(({ target: _target, ...rest }) => rest));
    }
    const targets = new Set(Array.from({ length: 20 }, (_, seed) => planSoak(seed, ...twoMinutes, 3).map((fault) => fault.target)).flat());
    expect([...targets].sort()).toEqual(['backup', 'gateway', 'primary', 'third']);
  });
});
