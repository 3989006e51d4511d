// The chime makes one audio context for the whole day, however many sales it rings for.
import { afterEach, describe, expect, it, vi } from 'vitest';

class FakeNode {
  frequency = { value: 0 };
  gain = { setValueAtTime: vi.fn(), exponentialRampToValueAtTime: vi.fn() };
  onended: (() => void) | null = null;
  connect = vi.fn();
  disconnect = vi.fn();
  start = vi.fn();
  stop = vi.fn();
}

const made: FakeContext[] = [];
class FakeContext {
  state = 'running';
  currentTime = 0;
  destination = {};
  oscillators: FakeNode[] = [];
  constructor() {
    made.push(this);
  }
  createOscillator() {
    const n = new FakeNode();
    this.oscillators.push(n);
    return n;
  }
  createGain() {
    return new FakeNode();
  }
  resume = vi.fn(async () => {
    this.state = 'running';
  });
  suspend = vi.fn(async () => {
    this.state = 'suspended';
  });
}

/** The one context the chime made. */
function only(): FakeContext {
  expect(made).toHaveLength(1);
  const ctx = made[0];
  if (!ctx) throw new Error('no audio context was made');
  return ctx;
}

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.resetModules();
  made.length = 0;
});

describe('the chime', () => {
  it('rings every paid sale on one audio context, and lets each note go when it has played', async () => {
    vi.stubGlobal('AudioContext', FakeContext);
    localStorage.removeItem('till.sound.muted');
    const { chime } = await import('../src/lib/sound');
    for (let sale = 0; sale < 50; sale++) chime('paid');
    chime('alert');
    expect(only().oscillators).toHaveLength(50 * 3 + 4);
    const note = only().oscillators[0];
    if (!note) throw new Error('no note was played');
    note.onended?.();
    expect(note.disconnect).toHaveBeenCalled();
  });

  it('wakes a suspended context instead of making another', async () => {
    vi.stubGlobal('AudioContext', FakeContext);
    const { chime } = await import('../src/lib/sound');
    chime('paid');
    only().state = 'suspended';
    chime('paid');
    expect(only().resume).toHaveBeenCalledTimes(1);
  });

  it('suspends the context once the notes have played, and wakes it for the next sale', async () => {
    vi.useFakeTimers();
    vi.stubGlobal('AudioContext', FakeContext);
    const { chime } = await import('../src/lib/sound');
    chime('paid');
    vi.advanceTimersByTime(1_000);
    expect(only().suspend).not.toHaveBeenCalled();
    // A second sale while the first still rings: the quiet is counted from the last chime.
    chime('paid');
    vi.advanceTimersByTime(1_000);
    expect(only().suspend).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1_000);
    expect(only().suspend).toHaveBeenCalledTimes(1);
    expect(only().state).toBe('suspended');
    chime('alert');
    expect(only().resume).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(2_000);
    expect(only().suspend).toHaveBeenCalledTimes(2);
  });

  it('wakes a context whose suspend is still under way when a sale is paid', async () => {
    vi.useFakeTimers();
    vi.stubGlobal('AudioContext', FakeContext);
    const { chime } = await import('../src/lib/sound');
    chime('paid');
    let finish = () => {};
    only().suspend.mockImplementationOnce(
      () =>
        new Promise<void>((done) => {
          finish = () => {
            only().state = 'suspended';
            done();
          };
        }),
    );
    vi.advanceTimersByTime(2_000);
    expect(only().suspend).toHaveBeenCalledTimes(1);
    expect(only().state).toBe('running');
    chime('paid');
    finish();
    expect(only().resume).toHaveBeenCalledTimes(1);
  });

  it('stays silent when muted, and makes no context for it', async () => {
    vi.stubGlobal('AudioContext', FakeContext);
    const { chime, setMuted } = await import('../src/lib/sound');
    setMuted(true);
    chime('paid');
    chime('alert');
    expect(made).toHaveLength(0);
    setMuted(false);
  });
});
