import { describe, expect, it } from 'vitest';
import { ConnectionSlots } from '../../src/http/connection-slots.js';

const settled = async <T>(promise: Promise<T>): Promise<boolean> => {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
};

describe('ConnectionSlots', () => {
  it('grants up to the limit at once, then queues in order', async () => {
    const slots = new ConnectionSlots(2, 10, 10_000);
    await slots.acquire();
    await slots.acquire();
    const order: number[] = [];
    const third = slots.acquire().then(() => order.push(3));
    const fourth = slots.acquire().then(() => order.push(4));
    expect(slots.queued).toBe(2);
    expect(await settled(third)).toBe(false);
    slots.release();
    slots.release();
    await Promise.all([third, fourth]);
    expect(order).toEqual([3, 4]);
    expect(slots.inUse).toBe(2);
  });

  it('refuses beyond the queue bound with a 429', async () => {
    const slots = new ConnectionSlots(1, 1, 10_000);
    await slots.acquire();
    const queued = slots.acquire();
    await expect(slots.acquire()).rejects.toMatchObject({ status: 429 });
    slots.release();
    await queued;
  });

  it('gives up after the acquire timeout with a 429 and does not leak the slot', async () => {
    const slots = new ConnectionSlots(1, 10, 20);
    await slots.acquire();
    await expect(slots.acquire()).rejects.toMatchObject({ status: 429, reason: expect.stringContaining('Acquire operation took longer') });
    expect(slots.queued).toBe(0);
    slots.release();
    expect(slots.idle).toBe(true);
  });

  it('leaves the queue when the caller aborts', async () => {
    const slots = new ConnectionSlots(1, 10, 10_000);
    await slots.acquire();
    const controller = new AbortController();
    const waiting = slots.acquire(controller.signal);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    expect(slots.queued).toBe(0);
  });

  it('reports idleness once the last call is released', () => {
    const slots = new ConnectionSlots(1, 10, 10_000);
    void slots.acquire();
    let idle = false;
    slots.whenIdle(() => (idle = true));
    expect(idle).toBe(false);
    slots.release();
    expect(idle).toBe(true);
  });
});
