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

export function chime(kind: 'paid' | 'alert' = 'paid'): void {
  if (isMuted() || (!settingOn && kind === 'paid')) return;
  const Ctx = (globalThis as { AudioContext?: typeof AudioContext }).AudioContext;
  if (!Ctx) return;
  try {
    const ctx = new Ctx();
    const notes = kind === 'paid' ? [660, 880, 1320] : [880, 440, 880, 440];
    notes.forEach((freq, i) => {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = freq;
      osc.connect(gain);
      gain.connect(ctx.destination);
      const t = ctx.currentTime + i * 0.12;
      gain.gain.setValueAtTime(0.0001, t);
      gain.gain.exponentialRampToValueAtTime(0.3, t + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.11);
      osc.start(t);
      osc.stop(t + 0.12);
    });
  } catch {
    // No audio device: the screen still says it.
  }
}
