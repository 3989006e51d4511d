// A short rising chime when a sale is paid, made with WebAudio (no audio file to ship). Muted
// state is remembered on this machine.

const KEY = 'till.sound.muted';

export function isMuted(): boolean {
  try {
    return localStorage.getItem(KEY) === '1';
  } catch {
    return false;
  }
}

export function setMuted(muted: boolean): void {
  try {
    localStorage.setItem(KEY, muted ? '1' : '0');
  } catch {
    // Storage can be unavailable; the setting then lasts until the window closes.
  }
}

// The owner's setting (Manager > Settings). A paid-late alert sounds even when it is off: it
// must not be missed.
let settingOn = true;

export function setSoundSetting(on: boolean): void {
  settingOn = on;
}

// One audio context for the whole day: a context holds an audio thread and its buffers until it
// is closed, and one made per sale (as before) grew the web process sale after sale.
let audio: AudioContext | null = null;

function audioContext(): AudioContext | null {
  if (audio && audio.state !== 'closed') return audio;
  const Ctx = (globalThis as { AudioContext?: typeof AudioContext }).AudioContext;
  if (!Ctx) return null;
  audio = new Ctx();
  return audio;
}

// A running context keeps WebKit's audio pipeline playing silence between sales, a thread
// waking every few milliseconds all day; once the notes have played it is suspended, and the
// next chime wakes it.
const QUIET_AFTER_MS = 1_000;
// Each note's length, in seconds: the notes are scheduled by it and the quiet counted after them.
const NOTE_SECONDS = 0.12;
let quiet: ReturnType<typeof setTimeout> | undefined;
// A suspend not yet done still reads 'running': a chime meanwhile must wake the context after it.
let suspending = false;

function suspendWhenQuiet(ctx: AudioContext, playingMs: number): void {
  clearTimeout(quiet);
  quiet = setTimeout(() => {
    if (ctx.state !== 'running') return;
    suspending = true;
    void ctx
      .suspend()
      .catch(() => undefined)
      .finally(() => {
        suspending = false;
      });
  }, playingMs + QUIET_AFTER_MS);
}

export function chime(kind: 'paid' | 'alert' = 'paid'): void {
  if (isMuted() || (!settingOn && kind === 'paid')) return;
  try {
    const ctx = audioContext();
    if (!ctx) return;
    // A context made before any touch starts suspended in some engines; a sale's key press is one.
    if (ctx.state === 'suspended' || suspending) void ctx.resume().catch(() => undefined);
    const notes = kind === 'paid' ? [660, 880, 1320] : [880, 440, 880, 440];
    notes.forEach((freq, i) => {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = freq;
      osc.connect(gain);
      gain.connect(ctx.destination);
      const t = ctx.currentTime + i * NOTE_SECONDS;
      gain.gain.setValueAtTime(0.0001, t);
      gain.gain.exponentialRampToValueAtTime(0.3, t + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.11);
      osc.start(t);
      osc.stop(t + NOTE_SECONDS);
      // The nodes let go of each other once the note has played, so nothing piles up.
      osc.onended = () => {
        osc.disconnect();
        gain.disconnect();
      };
    });
    suspendWhenQuiet(ctx, notes.length * NOTE_SECONDS * 1_000);
  } catch {
    // No audio device: the screen still says it.
  }
}
