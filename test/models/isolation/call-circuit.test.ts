import { describe, expect, it } from 'vitest';
import { illegalArgument } from '../../../src/errors/opensearch-error.js';
import { ProviderError } from '../../../src/errors/provider-error.js';
import { CallCircuit, CallCircuits } from '../../../src/models/isolation/call-circuit.js';

const provider = (statusCode: number) => new ProviderError({ statusCode, responseHeaders: {}, reason: 'x' });
const SUCCESS = undefined;

/** A circuit after `outcomes`, in order ('S' success, 'F' a 503). */
function circuitAfter(outcomes: string): CallCircuit {
  const circuit = new CallCircuit();
  for (const outcome of outcomes) circuit.record(outcome === 'S' ? SUCCESS : provider(503));
  return circuit;
}

describe('CallCircuit', () => {
  it.each([
    ['no calls yet', '', false],
    ['9 failures: too few calls to judge', 'FFFFFFFFF', false],
    ['10 failures', 'FFFFFFFFFF', true],
    ['7 of 10 failed (more than two thirds)', 'SSSFFFFFFF', true],
    ['6 of 10 failed (not more than two thirds)', 'FFFFFFSSSS', false],
    ['13 of 20 failed', 'S'.repeat(7) + 'F'.repeat(13), false],
    ['14 of 20 failed', 'S'.repeat(6) + 'F'.repeat(14), true],
    ['an outage of 20, then 6 successes: 14 of the last 20 failed', 'F'.repeat(20) + 'S'.repeat(6), true],
    ['an outage of 20, then 7 successes: the circuit closes', 'F'.repeat(20) + 'S'.repeat(7), false],
    ['old failures leave the window', 'F'.repeat(50) + 'S'.repeat(20), false],
  ])('%s → open %s', (_case, outcomes, open) => {
    expect(circuitAfter(outcomes).isOpen).toBe(open);
  });

  it('should count 5xx and throttling, but not input errors or our own refusals', () => {
    const circuit = new CallCircuit();
    for (let call = 0; call < 20; call++) {
      circuit.record(provider(400));
      circuit.record(provider(422));
      circuit.record(illegalArgument('Invalid payload'));
    }
    expect(circuit.isOpen).toBe(false);
    for (let call = 0; call < 10; call++) circuit.record(provider(429));
    expect(circuit.isOpen).toBe(true);
  });

  it('should never open while one bad input is isolated on a fresh model', () => {
    // Bisection: the first call fails, then every level one half fails and one succeeds; a
    // failing half may be recorded before its sibling's success.
    const circuit = new CallCircuit();
    circuit.record(provider(500));
    for (let level = 0; level < 12; level++) {
      circuit.record(provider(500));
      expect(circuit.isOpen).toBe(false);
      circuit.record(SUCCESS);
    }
  });

  it('should keep one circuit per model', () => {
    const circuits = new CallCircuits();
    for (let call = 0; call < 10; call++) circuits.forModel('a').record(provider(503));
    expect(circuits.forModel('a').isOpen).toBe(true);
    expect(circuits.forModel('b').isOpen).toBe(false);
    expect(circuits.forModel('a')).toBe(circuits.forModel('a'));
  });
});
